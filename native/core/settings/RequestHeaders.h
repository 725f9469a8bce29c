// Extra request headers from AR_HTTP_HEADER_<Name>=<value>.
#ifndef AR_HTTP_CORE_REQUEST_HEADERS_H
#define AR_HTTP_CORE_REQUEST_HEADERS_H

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arhttp {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kHeaderVariablePrefix = "AR_HTTP_HEADER_";
// The headers of content requests (a CDN's token): AR_HTTP_CONTENT_HEADER_<Name>.
constexpr const char* kContentHeaderVariablePrefix = "AR_HTTP_CONTENT_HEADER_";

// Header names compare without regard to case: compare these.
std::string LowerCaseName(std::string name);

// `text` without leading and trailing spaces and tabs, as header values,
// header name lists and context string parts are read.
std::string_view TrimBlanks(std::string_view text);

// Why `name: value` cannot be sent (bad name, CR/LF/NUL or other control
// character in the value, a framing header), or nothing when it can.
std::optional<std::string> HeaderProblem(const std::string& name, const std::string& value);

// Every AR_HTTP_HEADER_<Name> variable (or those starting with `prefix`)
// becomes a header; '_' in <Name> turns into '-' since variable names cannot
// hold dashes. A header with a HeaderProblem is left out with a warning in `warnings`.
HeaderList HeadersFromEnvironment(const std::map<std::string, std::string>& environment,
                                  std::vector<std::string>* warnings,
                                  const char* prefix = kHeaderVariablePrefix);

// Lower-case names of headers to treat as secret besides those the rule
// finds (AR_HTTP_SECRET_HEADERS).
using SecretHeaderNames = std::vector<std::string>;

// Whether a header carries credentials, whose value is never printed and
// never sent to another origin: Authorization, Proxy-Authorization, Cookie,
// any name holding key, token, secret, password, auth, session, signature or
// cookie, and the names in `alsoSecret`.
bool IsSecretHeader(const std::string& name, const SecretHeaderNames& alsoSecret = {});

// The value as it may appear in output: secrets are replaced.
std::string PrintableHeaderValue(const std::string& name, const std::string& value,
                                 const SecretHeaderNames& alsoSecret = {});

// AR_HTTP_SECRET_HEADERS: header names separated by commas; a name that is
// not a valid header name is left out with a warning in `warnings`.
SecretHeaderNames SecretHeaderNamesFrom(const std::string& text, std::vector<std::string>* warnings);

}  // namespace arhttp

#endif
