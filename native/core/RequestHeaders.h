// Extra request headers from AR_HTTP_HEADER_<Name>=<value>.
#ifndef AR_HTTP_CORE_REQUEST_HEADERS_H
#define AR_HTTP_CORE_REQUEST_HEADERS_H

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace arhttp {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kHeaderVariablePrefix = "AR_HTTP_HEADER_";

// Header names compare without regard to case: compare these.
std::string LowerCaseName(std::string name);

// Why `name: value` cannot be sent (bad name, CR/LF/NUL or other control
// character in the value, a framing header), or nothing when it can.
std::optional<std::string> HeaderProblem(const std::string& name, const std::string& value);

// Every AR_HTTP_HEADER_<Name> variable becomes a header; '_' in <Name> turns
// into '-' since variable names cannot hold dashes. A header with a
// HeaderProblem is left out with a warning in `warnings`.
HeaderList HeadersFromEnvironment(const std::map<std::string, std::string>& environment,
                                  std::vector<std::string>* warnings);

// Authorization, Cookie and Proxy-Authorization: values never printed.
bool IsSecretHeader(const std::string& name);

// The value as it may appear in output: secrets are replaced.
std::string PrintableHeaderValue(const std::string& name, const std::string& value);

}  // namespace arhttp

#endif
