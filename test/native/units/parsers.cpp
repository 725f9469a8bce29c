// The core's parsers: response bodies, server URLs, path formats and
// percent-encoding, context strings, TF_DEBUG, header rules.
#include "check.h"

#include "ArHttpProtocol.h"
#include "core/settings/Config.h"
#include "core/settings/DebugSwitch.h"
#include "core/settings/PathFormat.h"
#include "core/text/PercentEncoding.h"
#include "core/settings/RequestHeaders.h"
#include "core/text/ResponseBody.h"
#include "core/text/UrlReference.h"
#include "core/settings/ServerContext.h"
#include "core/settings/ServerUrl.h"

namespace units {

namespace {

using arhttp::protocol::kMaxResolvedPathBytes;

bool IsBodySpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::optional<std::string> Body(const std::string& body, std::string* why) {
    why->clear();
    return arhttp::ResolvedPathFromBody(body, why);
}

void ResponseBody(const std::vector<Example>& examples) {
    std::string why;
    for (const auto& example : examples) {
        const std::string& path = example.path;
        if (example.valid) {
            CHECK_EQ(Body(path, &why), path);
            CHECK_EQ(Body(path + "\n", &why), path);
            CHECK_EQ(Body(path + " \r\n", &why), path);
            CHECK_EQ(Body("\t\f\v " + path + "\r\n\n", &why), path);
            continue;
        }
        // Whatever the body parser makes of an invalid path, never the path itself.
        CHECK(Body(path, &why) != path);
        bool allSpace = true;
        for (char c : path) allSpace = allSpace && IsBodySpace(c);
        if (allSpace || (!IsBodySpace(path.front()) && !IsBodySpace(path.back()))) {
            CHECK_EQ(Body(path, &why), std::nullopt);
            CHECK(!why.empty());
            CHECK_EQ(Body(path + "\n", &why), std::nullopt);
            CHECK(!why.empty());
        }
    }
    for (const char* blank : {"", " ", "\n", "\r\n", " \t\f\v\r\n"}) {
        CHECK_EQ(Body(blank, &why), std::nullopt);
        CHECK(!why.empty());
    }
    // Control characters inside, beyond those of the examples.
    for (const char* body : {"/a\x01z", "/a\x1fz", "/a\fz", "/a\vz", "a\x1b"}) {
        CHECK_EQ(Body(body, &why), std::nullopt);
        CHECK(!why.empty());
    }
    CHECK_EQ(Body(std::string("/a\0b", 4), &why), std::nullopt);
    CHECK_EQ(Body(std::string("/ab\0", 4), &why), std::nullopt);

    // The length limit applies once trimmed.
    CHECK(kMaxResolvedPathBytes > 1);
    const std::string longest = "/" + std::string(kMaxResolvedPathBytes - 1, 'a');
    CHECK_EQ(Body(longest, &why), longest);
    CHECK_EQ(Body("  " + longest + " \r\n", &why), longest);
    CHECK_EQ(Body(longest + "b", &why), std::nullopt);
    CHECK(!why.empty());
    CHECK_EQ(Body(" " + longest + "b\n", &why), std::nullopt);
    CHECK(arhttp::kMaxResponseBodyBytes > kMaxResolvedPathBytes);
}

std::optional<arhttp::ServerUrl> Url(const std::string& url, std::string* error) {
    error->clear();
    return arhttp::ServerUrl::Parse(url, error);
}

void ExpectUrl(const std::string& text, const std::string& host, int port, bool https,
               const std::string& basePath, const std::string& origin) {
    std::string error;
    const auto url = Url(text, &error);
    if (!CHECK(url.has_value())) {
        std::fprintf(stderr, "    for %s: %s\n", Show(text).c_str(), error.c_str());
        return;
    }
    CHECK_EQ(url->Host(), host);
    CHECK_EQ(url->Port(), port);
    CHECK_EQ(url->IsHttps(), https);
    CHECK_EQ(url->BasePath(), basePath);
    CHECK_EQ(url->Origin(), origin);
    CHECK_EQ(url->Text(), text);
}

void ExpectUrlRefused(const std::string& text) {
    std::string error;
    const bool refused = !Url(text, &error).has_value();
    if (!CHECK(refused)) std::fprintf(stderr, "    for %s\n", Show(text).c_str());
    CHECK(!error.empty());
}

void ServerUrls() {
    using arhttp::ServerUrl;
    ExpectUrl("http://example.com", "example.com", 80, false, "", "http://example.com:80");
    ExpectUrl("https://example.com", "example.com", 443, true, "", "https://example.com:443");
    ExpectUrl("http://localhost:8000", "localhost", 8000, false, "", "http://localhost:8000");
    ExpectUrl("https://assets.example.com:8443/", "assets.example.com", 8443, true, "",
              "https://assets.example.com:8443");
    ExpectUrl("http://localhost:8000/api/v1", "localhost", 8000, false, "/api/v1", "http://localhost:8000");
    ExpectUrl("https://h/base/path//", "h", 443, true, "/base/path", "https://h:443");
    ExpectUrl("http://127.0.0.1:1/x", "127.0.0.1", 1, false, "/x", "http://127.0.0.1:1");
    ExpectUrl("http://h:65535", "h", 65535, false, "", "http://h:65535");
    ExpectUrl("http://h:080", "h", 80, false, "", "http://h:80");
    ExpectUrl("http://[::1]:9000/x", "::1", 9000, false, "/x", "http://[::1]:9000");
    ExpectUrl("https://[fe80::1]", "fe80::1", 443, true, "", "https://[fe80::1]:443");
    ExpectUrl(ServerUrl::kDefault, "localhost", 8000, false, "", "http://localhost:8000");

    for (const char* url : {"ftp://example.com", "file:///tmp/x", "example.com", "//example.com",
                            "httpx://h", "http:/h", "", "http://", "https://", "http:///base",
                            "http://:8000", "http://:8000/base", "http://[]:80", "http://h:0",
                            "http://h:65536", "http://h:99999", "http://h:123456", "http://h:8o",
                            "http://h:port", "http://h:", "http://h:-1", "http://h:+80",
                            "http://[::1", "http://[::1]x", "http://[zz::1]", "http://h/a?b",
                            "http://h/a#b", "http://h/a%20b", "http://ho$t", "http://h\\x"}) {
        ExpectUrlRefused(url);
    }
    for (const std::string& url : {std::string("http://h/a\nb"), std::string("http://h/a b"),
                                  std::string("http://h\t"), std::string("http://h/\x7f"),
                                  std::string("http://h/\x1b[31m"), std::string("http://h\r\n/x"),
                                  std::string("http://h/a\0b", 12), std::string(" http://h")}) {
        ExpectUrlRefused(url);
    }

    // Credentials are refused and kept out of the message.
    std::string error;
    CHECK(!Url("http://user:hunter2@example.com/x", &error));
    CHECK(error.find("hunter2") == std::string::npos);
    CHECK(!Url("https://token@example.com", &error));
    CHECK(error.find("token") == std::string::npos);

    // Lengths: the whole URL, then the host.
    const std::string prefix = "http://h/";
    const std::string longest = prefix + std::string(ServerUrl::kMaxLength - prefix.size(), 'p');
    CHECK_EQ(longest.size(), ServerUrl::kMaxLength);
    CHECK(Url(longest, &error).has_value());
    ExpectUrlRefused(longest + "p");
    const std::string host(ServerUrl::kMaxHostLength, 'h');
    ExpectUrl("http://" + host + ":81", host, 81, false, "", "http://" + host + ":81");
    ExpectUrlRefused("http://" + host + "h:81");
    ExpectUrlRefused("http://" + host + "h");
}

void PathFormats() {
    using arhttp::PathFormat;
    using arhttp::PercentEncodePath;
    std::string error;

    const auto plain = PathFormat::Parse(PathFormat::kDefault, &error);
    if (CHECK(plain.has_value())) {
        CHECK_EQ(plain->Text(), "/%s");
        CHECK_EQ(plain->Expand("chess/King.usd"), "/chess/King.usd");
        CHECK_EQ(plain->Expand("a b/c"), "/a%20b/c");
        CHECK_EQ(plain->Expand(""), "/");
    }
    const auto query = PathFormat::Parse("/resolve?path=%s&v=1", &error);
    if (CHECK(query.has_value())) {
        CHECK_EQ(query->Expand("/a#b?c&d"), "/resolve?path=/a%23b%3Fc%26d&v=1");
    }
    const auto middle = PathFormat::Parse("/assets/%s/resolved", &error);
    if (CHECK(middle.has_value())) CHECK_EQ(middle->Expand("x%y"), "/assets/x%25y/resolved");

    for (const char* format : {"/none", "", "/%s/%s", "/%s%s", "/%d/%s", "/%s%", "/%%s", "/100%/%s",
                               "%s", "resolve/%s", "/a b/%s", "/a\n/%s", "/a\x7f/%s", "/%S"}) {
        error.clear();
        if (!CHECK(!PathFormat::Parse(format, &error))) std::fprintf(stderr, "    for %s\n", Show(format).c_str());
        CHECK(!error.empty());
    }

    CHECK_EQ(PercentEncodePath("/"), "/");
    CHECK_EQ(PercentEncodePath("/a/b/"), "/a/b/");
    CHECK_EQ(PercentEncodePath(" "), "%20");
    CHECK_EQ(PercentEncodePath("%"), "%25");
    CHECK_EQ(PercentEncodePath("%20"), "%2520");
    CHECK_EQ(PercentEncodePath("?"), "%3F");
    CHECK_EQ(PercentEncodePath("#"), "%23");
    CHECK_EQ(PercentEncodePath("\xC3\xBC"), "%C3%BC");            // ü
    CHECK_EQ(PercentEncodePath("/\xE7\x8E\x8B.usda"), "/%E7%8E%8B.usda");  // 王
    CHECK_EQ(PercentEncodePath("AZaz09-._~"), "AZaz09-._~");
    CHECK_EQ(PercentEncodePath("+&=;:@\\"), "%2B%26%3D%3B%3A%40%5C");
    CHECK_EQ(PercentEncodePath(std::string("\0\n\x7f\xff", 4)), "%00%0A%7F%FF");
    CHECK_EQ(PercentEncodePath(""), "");
}

std::optional<arhttp::ServerContext> Context(const std::string& text, std::string* error) {
    error->clear();
    return arhttp::ServerContext::Parse(text, error);
}

// A context's parts, as ApplyTo puts them in place of the environment's.
struct Applied {
    std::string server;
    std::string pathFormat;
    arhttp::HeaderList headers;
};

Applied Apply(const arhttp::ServerContext& context, const arhttp::Environment& environment) {
    const arhttp::Config config = context.ApplyTo(arhttp::Config::FromEnvironment(environment));
    return {config.server.Text(), config.pathFormat.Text(), config.headers};
}

void ServerContexts() {
    using arhttp::HeaderList;
    std::string error;
    // The environment's settings, without headers and with one.
    const arhttp::Environment bare = {{"AR_HTTP_SERVER_URL", "http://env:1/base"},
                                      {"AR_HTTP_PATH_FORMAT", "/env/%s"}};
    arhttp::Environment withHeader = bare;
    withHeader["AR_HTTP_HEADER_X_Env"] = "e";
    const Applied environment = Apply(arhttp::ServerContext(), withHeader);
    CHECK_EQ(environment.server, "http://env:1/base");
    CHECK_EQ(environment.pathFormat, "/env/%s");
    CHECK_EQ(environment.headers, (HeaderList{{"X-Env", "e"}}));

    const auto url = Context("http://localhost:9000/base", &error);
    if (CHECK(url.has_value())) {
        CHECK(!url->IsEmpty());
        const Applied applied = Apply(*url, withHeader);
        CHECK_EQ(applied.server, "http://localhost:9000/base");
        CHECK_EQ(applied.pathFormat, "/env/%s");
        // Another server gets none of the environment's headers.
        CHECK(applied.headers.empty());
        CHECK(url->KeyFor("a.usd") != "a.usd");
        CHECK(url->KeyFor("a.usd") != url->KeyFor("b.usd"));
        CHECK_EQ(url->Describe(), "http://localhost:9000/base");
    }
    // The environment's own server keeps its headers.
    const auto same = Context("http://env:1/base/", &error);
    if (CHECK(same.has_value())) CHECK_EQ(Apply(*same, withHeader).headers, (HeaderList{{"X-Env", "e"}}));

    const auto format = Context("https://h:1;pathFormat=/r?p=%s", &error);
    if (CHECK(format.has_value())) {
        const Applied applied = Apply(*format, bare);
        CHECK_EQ(applied.server, "https://h:1");
        CHECK_EQ(applied.pathFormat, "/r?p=%s");
        CHECK_EQ(format->Describe(), "https://h:1;pathFormat=/r?p=%s");
    }

    // An empty URL keeps the environment's server, and its headers.
    const auto headerOnly = Context(";header.X-Team=blue", &error);
    if (CHECK(headerOnly.has_value())) {
        CHECK(!headerOnly->IsEmpty());
        const Applied applied = Apply(*headerOnly, withHeader);
        CHECK_EQ(applied.server, "http://env:1/base");
        CHECK_EQ(applied.pathFormat, "/env/%s");
        CHECK_EQ(applied.headers, (HeaderList{{"X-Env", "e"}, {"X-Team", "blue"}}));
        CHECK_EQ(headerOnly->Describe(), "(environment's server);header.X-Team=blue");
    }
    // A context's header replaces the environment's of that name.
    const auto replacing = Context(";header.x-env=mine", &error);
    if (CHECK(replacing.has_value())) {
        CHECK_EQ(Apply(*replacing, withHeader).headers, (HeaderList{{"x-env", "mine"}}));
    }
    const auto formatOnly = Context(";pathFormat=/v2/%s", &error);
    if (CHECK(formatOnly.has_value())) {
        const Applied applied = Apply(*formatOnly, bare);
        CHECK_EQ(applied.server, "http://env:1/base");
        CHECK_EQ(applied.pathFormat, "/v2/%s");
    }

    // Blanks around parts, names and values are trimmed; empty parts are
    // skipped; headers come sorted by name.
    const auto spaced = Context(" http://h:2 ; pathFormat=/%s ;; header.B = two words \t; header.a=1;", &error);
    if (CHECK(spaced.has_value())) {
        const Applied applied = Apply(*spaced, bare);
        CHECK_EQ(applied.server, "http://h:2");
        CHECK_EQ(applied.pathFormat, "/%s");
        CHECK_EQ(applied.headers, (HeaderList{{"a", "1"}, {"B", "two words"}}));
        CHECK_EQ(spaced->Describe(), "http://h:2;pathFormat=/%s;header.a=1;header.B=two words");
    } else {
        std::fprintf(stderr, "    %s\n", error.c_str());
    }
    const auto equalsInValue = Context(";header.X-Q=a=b", &error);
    if (CHECK(equalsInValue.has_value())) {
        CHECK_EQ(Apply(*equalsInValue, bare).headers, (HeaderList{{"X-Q", "a=b"}}));
    }

    // Empty contexts.
    for (const char* text : {"", " ", ";", " ; ;"}) {
        const auto empty = Context(text, &error);
        if (CHECK(empty.has_value())) {
            CHECK(empty->IsEmpty());
            CHECK_EQ(empty->Key(), "");
            CHECK_EQ(empty->KeyFor("chess/King.usd"), "chess/King.usd");
            CHECK(*empty == arhttp::ServerContext());
        }
    }
    CHECK_EQ(arhttp::ServerContext().KeyFor("x.usda"), "x.usda");
    CHECK_EQ(arhttp::ServerContext().Describe(), "(environment's server)");

    // Refused parts set the error.
    for (const std::string& text :
         {std::string("ftp://h"), std::string("http://h:0"), std::string("http://h;pathFormat="),
          std::string("http://h;pathFormat=/nope"), std::string("http://h;pathFormat=/%s/%s"),
          std::string("http://h;header.X"), std::string("http://h;header.=1"), std::string("http://h;bogus=1"),
          std::string("http://h;pathformat=/%s"), std::string("http://h;Header.A=1"),
          std::string("http://h;header.Content-Length=5"), std::string("http://h;header.Host=x"),
          std::string("http://h;header.A=1;header.a=2"), std::string("http://h;header.B@d=1"),
          std::string("http://h;header.A=x\x01y"), std::string("http://h;header.A=x\ny"),
          std::string("http://h;header.A=x\0y", 21), std::string("http://h;header.A=") + std::string(9000, 'v')}) {
        const bool refused = !Context(text, &error).has_value();
        if (!CHECK(refused)) std::fprintf(stderr, "    for %s\n", Show(text).c_str());
        CHECK(!error.empty());
    }

    // Equal contexts have one key whatever the order and case of header names.
    const auto ab = Context("http://h;header.A=1;header.B=2", &error);
    const auto ba = Context("http://h;header.B=2;header.A=1", &error);
    const auto lower = Context("http://h;header.b=2;header.a=1", &error);
    const auto other = Context("http://h;header.A=1;header.B=3", &error);
    const auto noHeaders = Context("http://h", &error);
    const auto otherServer = Context("http://g;header.A=1;header.B=2", &error);
    if (CHECK(ab && ba && lower && other && noHeaders && otherServer)) {
        CHECK_EQ(ab->Key(), ba->Key());
        CHECK(*ab == *ba);
        CHECK_EQ(ab->KeyFor("x"), ba->KeyFor("x"));
        CHECK_EQ(Apply(*ab, {}).headers, Apply(*ba, {}).headers);
        CHECK_EQ(ab->Key(), lower->Key());
        CHECK(ab->Key() != other->Key());
        CHECK(!(*ab == *other));
        CHECK(ab->Key() != noHeaders->Key());
        CHECK(ab->Key() != otherServer->Key());
        CHECK(ab->KeyFor("x") != other->KeyFor("x"));
        CHECK((*ab < *other) != (*other < *ab));
    }
    // A header value cannot pass for another part of the key.
    const auto glued = Context("http://h;header.A=1", &error);
    const auto split = Context("http://h;pathFormat=/%s;header.A=1", &error);
    if (CHECK(glued && split)) CHECK(glued->Key() != split->Key());

    // Describe redacts secrets.
    const auto secret = Context("http://h;header.Authorization=Bearer s3cret;header.X-Api-Key=k3y;"
                                "header.X-Team=blue", &error);
    if (CHECK(secret.has_value())) {
        const std::string text = secret->Describe();
        CHECK(text.find("s3cret") == std::string::npos);
        CHECK(text.find("k3y") == std::string::npos);
        CHECK(text.find("<redacted>") != std::string::npos);
        CHECK(text.find("http://h") != std::string::npos);
        CHECK(text.find("header.X-Team=blue") != std::string::npos);
        CHECK(text.find("header.Authorization=") != std::string::npos);
        const std::string also = secret->Describe({"x-team"});
        CHECK(also.find("blue") == std::string::npos);
        CHECK(also.find("header.X-Team=") != std::string::npos);
    }
}

void DebugSwitches() {
    using arhttp::IsDebugSymbolEnabled;
    using arhttp::kDebugSymbol;
    CHECK_EQ(std::string(kDebugSymbol), "AR_HTTP");
    CHECK_EQ(IsDebugSymbolEnabled("AR_HTTP", kDebugSymbol), true);
    CHECK_EQ(IsDebugSymbolEnabled("AR_*", kDebugSymbol), true);
    CHECK_EQ(IsDebugSymbolEnabled("*", kDebugSymbol), true);
    CHECK_EQ(IsDebugSymbolEnabled("-AR_HTTP", kDebugSymbol), false);
    CHECK_EQ(IsDebugSymbolEnabled("AR_* -AR_HTTP", kDebugSymbol), false);
    CHECK_EQ(IsDebugSymbolEnabled("AR_HTTP -AR_*", kDebugSymbol), false);
    CHECK_EQ(IsDebugSymbolEnabled("-AR_* AR_HTTP", kDebugSymbol), true);
    CHECK_EQ(IsDebugSymbolEnabled("AR_HTTP -AR_HTTP AR_HTTP", kDebugSymbol), true);
    CHECK_EQ(IsDebugSymbolEnabled("OTHER", kDebugSymbol), false);
    CHECK_EQ(IsDebugSymbolEnabled("", kDebugSymbol), false);
    CHECK_EQ(IsDebugSymbolEnabled("   ", kDebugSymbol), false);
    CHECK_EQ(IsDebugSymbolEnabled("-", kDebugSymbol), false);
    CHECK_EQ(IsDebugSymbolEnabled("AR_HTTP -", kDebugSymbol), true);
    CHECK_EQ(IsDebugSymbolEnabled("AR_HTTP_MORE", kDebugSymbol), false);
    CHECK_EQ(IsDebugSymbolEnabled("AR_HTT", kDebugSymbol), false);
    CHECK_EQ(IsDebugSymbolEnabled("ar_http", kDebugSymbol), false);
    CHECK_EQ(IsDebugSymbolEnabled("SDF_* USD_*", kDebugSymbol), false);
    CHECK_EQ(IsDebugSymbolEnabled("OTHER\tAR_HTTP\n", kDebugSymbol), true);
    CHECK_EQ(IsDebugSymbolEnabled("  AR_H*  ", kDebugSymbol), true);
}

void Headers() {
    using arhttp::IsSecretHeader;
    for (const char* name : {"Authorization", "authorization", "AUTHORIZATION", "Proxy-Authorization", "Cookie",
                             "Set-Cookie", "X-Api-Key", "X-Auth-Token", "X-Access-Token", "X-Client-Secret",
                             "X-Password", "X-Session-Id", "X-Amz-Signature"}) {
        if (!CHECK(IsSecretHeader(name))) std::fprintf(stderr, "    for %s\n", name);
    }
    for (const char* name : {"X-Request-Id", "Accept", "User-Agent", "X-Team", "Content-Type", "X-Trace"}) {
        if (!CHECK(!IsSecretHeader(name))) std::fprintf(stderr, "    for %s\n", name);
    }
    CHECK(IsSecretHeader("X-Team", {"x-team"}));
    CHECK(IsSecretHeader("X-TEAM", {"x-team"}));
    CHECK(!IsSecretHeader("X-Teams", {"x-team"}));
    CHECK_EQ(arhttp::PrintableHeaderValue("Authorization", "Bearer abc"), "<redacted>");
    CHECK_EQ(arhttp::PrintableHeaderValue("X-Team", "blue"), "blue");

    using arhttp::TrimBlanks;
    CHECK_EQ(TrimBlanks("  a b \t"), "a b");
    CHECK_EQ(TrimBlanks("\t\tvalue"), "value");
    CHECK_EQ(TrimBlanks("value  "), "value");
    CHECK_EQ(TrimBlanks("plain"), "plain");
    CHECK_EQ(TrimBlanks(""), "");
    CHECK_EQ(TrimBlanks(" \t \t"), "");
    CHECK_EQ(TrimBlanks("\na\r"), "\na\r");  // only spaces and tabs

    CHECK_EQ(arhttp::LowerCaseName("X-Api-KEY"), "x-api-key");
    CHECK(!arhttp::HeaderProblem("X-Team", "blue\tgreen").has_value());
    CHECK(arhttp::HeaderProblem("X-Team", "a\r\nInjected: 1").has_value());
    CHECK(arhttp::HeaderProblem("Bad Name", "v").has_value());
    CHECK(arhttp::HeaderProblem("", "v").has_value());
    CHECK(arhttp::HeaderProblem("Transfer-Encoding", "chunked").has_value());
}

}  // namespace

// RFC 3986 section 5.4's examples (its "g:h" as "gh:i": one letter is a
// Windows drive to ar-http), then those of remote layers.
void UrlReferences() {
    const std::string base = "http://a/b/c/d;p?q";
    const std::vector<std::pair<std::string, std::string>> rfc = {
        {"gh:i", "gh:i"}, {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"}, {"g/", "http://a/b/c/g/"},
        {"/g", "http://a/g"}, {"//g", "http://g"}, {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"},
        {"#s", "http://a/b/c/d;p?q#s"}, {"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"},
        {";x", "http://a/b/c/;x"}, {"g;x", "http://a/b/c/g;x"}, {"", "http://a/b/c/d;p?q"},
        {".", "http://a/b/c/"}, {"./", "http://a/b/c/"}, {"..", "http://a/b/"}, {"../", "http://a/b/"},
        {"../g", "http://a/b/g"}, {"../..", "http://a/"}, {"../../", "http://a/"}, {"../../g", "http://a/g"},
        {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
        {"/../g", "http://a/g"}, {"g.", "http://a/b/c/g."}, {".g", "http://a/b/c/.g"}, {"g..", "http://a/b/c/g.."},
        {"..g", "http://a/b/c/..g"}, {"./../g", "http://a/b/g"}, {"./g/.", "http://a/b/c/g/"},
        {"g/./h", "http://a/b/c/g/h"}, {"g/../h", "http://a/b/c/h"}, {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
        {"g;x=1/../y", "http://a/b/c/y"}, {"g?y/./x", "http://a/b/c/g?y/./x"}, {"g#s/../x", "http://a/b/c/g#s/../x"},
        {"http:g", "http:g"},
    };
    for (const auto& [reference, expected] : rfc) CHECK_EQ(arhttp::ResolveUrlReference(base, reference), expected);

    const std::string chair = "https://cdn.example/chair/chair.usd";
    CHECK_EQ(arhttp::ResolveUrlReference(chair, "./geom.usd"), "https://cdn.example/chair/geom.usd");
    CHECK_EQ(arhttp::ResolveUrlReference(chair, "../textures/wood.png"), "https://cdn.example/textures/wood.png");
    CHECK_EQ(arhttp::ResolveUrlReference(chair, "https://other.example/x.usd"), "https://other.example/x.usd");
    CHECK_EQ(arhttp::ResolveUrlReference("https://cdn.example", "a.usd"), "https://cdn.example/a.usd");

    CHECK(arhttp::IsContentUrl("https://cdn.example/a.usd"));
    CHECK(arhttp::IsContentUrl("HTTP://cdn.example"));
    CHECK(!arhttp::IsContentUrl("https://"));
    CHECK(!arhttp::IsContentUrl("https:///a.usd"));
    CHECK(!arhttp::IsContentUrl("s3://bucket/a.usd"));
    CHECK(!arhttp::IsContentUrl("/assets/a.usd"));
    CHECK(arhttp::HasUriScheme("s3://bucket/a.usd"));
    CHECK(arhttp::HasUriScheme("arhttp:chess/Bishop"));
    CHECK(!arhttp::HasUriScheme("C:\\assets\\a.usd"));
    CHECK(!arhttp::HasUriScheme("./a:b.usd"));
    CHECK(!arhttp::HasUriScheme("id0x01"));

    CHECK_EQ(arhttp::UrlOrigin("HTTPS://CDN.example:443/a?b"), "https://cdn.example");
    CHECK_EQ(arhttp::UrlOrigin("http://user:secret@cdn.example:8080/a"), "http://cdn.example:8080");
    CHECK_EQ(arhttp::UrlOrigin("http://cdn.example:80"), "http://cdn.example");

    CHECK_EQ(arhttp::UrlPathExtension("https://cdn.example/a.b/c.usdz?v=1.2#x.y"), "usdz");
    CHECK_EQ(arhttp::UrlPathExtension("https://cdn.example/a.b/c"), "");
    CHECK_EQ(arhttp::UrlPathExtension("tex/.hidden"), "");
    CHECK_EQ(arhttp::UrlPathExtension("tex/wood."), "");
    CHECK_EQ(arhttp::UrlIdentifier("./geom.usd", chair), "https://cdn.example/chair/geom.usd");
    CHECK_EQ(arhttp::UrlIdentifier("geom.usd", chair), "https://cdn.example/chair/geom.usd");
    CHECK_EQ(arhttp::UrlIdentifier("chess/King", chair), "");
    CHECK_EQ(arhttp::UrlIdentifier("/mnt/geom.usd", chair), "");
    CHECK_EQ(arhttp::UrlIdentifier("./geom.usd", "/local/chair.usd"), "");
    CHECK_EQ(arhttp::UrlIdentifier("HTTPS://cdn.example/a/../b.usd", "/local/chair.usd"), "HTTPS://cdn.example/b.usd");
}

void Parsers(const std::vector<Example>& resolvedPathExamples) {
    ResponseBody(resolvedPathExamples);
    ServerUrls();
    PathFormats();
    ServerContexts();
    DebugSwitches();
    Headers();
    UrlReferences();
}

}  // namespace units
