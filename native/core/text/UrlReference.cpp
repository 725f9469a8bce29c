#include "core/text/UrlReference.h"

#include <cctype>

namespace arhttp {

namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    }
    return true;
}

// The parts of a URI reference (RFC 3986 appendix B); `has*` tell an empty
// part from an absent one.
struct Parts {
    std::string_view scheme, authority, path, query, fragment;
    bool hasScheme = false, hasAuthority = false, hasQuery = false, hasFragment = false;
};

Parts Split(std::string_view uri) {
    Parts parts;
    if (HasUriScheme(uri)) {
        const size_t colon = uri.find(':');
        parts.scheme = uri.substr(0, colon);
        parts.hasScheme = true;
        uri.remove_prefix(colon + 1);
    }
    if (const size_t hash = uri.find('#'); hash != std::string_view::npos) {
        parts.fragment = uri.substr(hash + 1);
        parts.hasFragment = true;
        uri = uri.substr(0, hash);
    }
    if (const size_t question = uri.find('?'); question != std::string_view::npos) {
        parts.query = uri.substr(question + 1);
        parts.hasQuery = true;
        uri = uri.substr(0, question);
    }
    if (uri.substr(0, 2) == "//") {
        uri.remove_prefix(2);
        const size_t slash = uri.find('/');
        parts.authority = uri.substr(0, slash);
        parts.hasAuthority = true;
        uri = slash == std::string_view::npos ? std::string_view() : uri.substr(slash);
    }
    parts.path = uri;
    return parts;
}

// RFC 3986 section 5.2.4.
std::string RemoveDotSegments(std::string_view input) {
    std::string output;
    while (!input.empty()) {
        if (input.substr(0, 3) == "../") {
            input.remove_prefix(3);
        } else if (input.substr(0, 2) == "./") {
            input.remove_prefix(2);
        } else if (input.substr(0, 3) == "/./") {
            input.remove_prefix(2);
        } else if (input == "/.") {
            input = "/";
        } else if (input.substr(0, 4) == "/../" || input == "/..") {
            input = input.size() == 3 ? std::string_view("/") : input.substr(3);
            const size_t last = output.rfind('/');
            output.erase(last == std::string::npos ? 0 : last);
        } else if (input == "." || input == "..") {
            input = std::string_view();
        } else {
            const size_t next = input.find('/', 1);
            output.append(input.substr(0, next));
            input = next == std::string_view::npos ? std::string_view() : input.substr(next);
        }
    }
    return output;
}

// RFC 3986 section 5.2.3.
std::string Merge(const Parts& base, std::string_view path) {
    if (base.hasAuthority && base.path.empty()) return "/" + std::string(path);
    const size_t slash = base.path.rfind('/');
    if (slash == std::string_view::npos) return std::string(path);
    return std::string(base.path.substr(0, slash + 1)) + std::string(path);
}

std::string Join(std::string_view scheme, bool hasAuthority, std::string_view authority,
                 const std::string& path, bool hasQuery, std::string_view query, bool hasFragment,
                 std::string_view fragment) {
    std::string uri;
    uri.append(scheme).append(":");
    if (hasAuthority) uri.append("//").append(authority);
    uri.append(path);
    if (hasQuery) uri.append("?").append(query);
    if (hasFragment) uri.append("#").append(fragment);
    return uri;
}

}  // namespace

bool HasUriScheme(std::string_view path) {
    if (path.empty() || !std::isalpha(static_cast<unsigned char>(path[0]))) return false;
    for (size_t i = 1; i < path.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(path[i]);
        if (c == ':') return i >= 2;
        if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
    }
    return false;
}

bool IsContentUrl(std::string_view path) {
    size_t rest;
    if (StartsWithNoCase(path, "http://")) {
        rest = 7;
    } else if (StartsWithNoCase(path, "https://")) {
        rest = 8;
    } else {
        return false;
    }
    return path.size() > rest && path[rest] != '/' && path[rest] != '?' && path[rest] != '#';
}

std::string ResolveUrlReference(std::string_view base, std::string_view reference) {
    const Parts b = Split(base);
    const Parts r = Split(reference);
    if (r.hasScheme) {
        return Join(r.scheme, r.hasAuthority, r.authority, RemoveDotSegments(r.path), r.hasQuery, r.query,
                    r.hasFragment, r.fragment);
    }
    if (r.hasAuthority) {
        return Join(b.scheme, true, r.authority, RemoveDotSegments(r.path), r.hasQuery, r.query,
                    r.hasFragment, r.fragment);
    }
    if (r.path.empty()) {
        return Join(b.scheme, b.hasAuthority, b.authority, std::string(b.path), r.hasQuery || b.hasQuery,
                    r.hasQuery ? r.query : b.query, r.hasFragment, r.fragment);
    }
    const std::string path = r.path.front() == '/' ? RemoveDotSegments(r.path) : RemoveDotSegments(Merge(b, r.path));
    return Join(b.scheme, b.hasAuthority, b.authority, path, r.hasQuery, r.query, r.hasFragment, r.fragment);
}

std::string UrlOrigin(std::string_view url) {
    const Parts parts = Split(url);
    std::string origin;
    for (const char c : parts.scheme) origin += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    origin += "://";
    // Credentials (user:pass@) are no part of the origin.
    std::string_view authority = parts.authority;
    if (const size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    for (const char c : authority) origin += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // The default port is the same origin as none.
    const std::string defaultPort = origin.compare(0, 5, "https") == 0 ? ":443" : ":80";
    if (origin.size() > defaultPort.size() &&
        origin.compare(origin.size() - defaultPort.size(), defaultPort.size(), defaultPort) == 0) {
        origin.erase(origin.size() - defaultPort.size());
    }
    return origin;
}

std::string UrlPathExtension(std::string_view url) {
    const std::string_view path = Split(url).path;
    const std::string_view name = path.substr(path.rfind('/') + 1);
    const size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return std::string();
    return std::string(name.substr(dot + 1));
}

std::string UrlIdentifier(std::string_view assetPath, std::string_view anchor) {
    if (IsContentUrl(assetPath)) return ResolveUrlReference(assetPath, assetPath);
    if (assetPath.empty() || assetPath.front() == '/' || !IsContentUrl(anchor)) return std::string();
    const bool fileRelative = assetPath.substr(0, 2) == "./" || assetPath.substr(0, 3) == "../";
    if (fileRelative || HasUriScheme(assetPath) || !UrlPathExtension(assetPath).empty()) {
        return ResolveUrlReference(anchor, assetPath);
    }
    return std::string();
}

bool StaysInRemotePackage(std::string_view assetPath, std::string_view packageUrl) {
    return !IsContentUrl(assetPath) && !UrlIdentifier(assetPath, packageUrl).empty();
}

}  // namespace arhttp
