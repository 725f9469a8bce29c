// Whether TF_DEBUG turns on a debug symbol, by TfDebug's own rules, so the
// standalone core answers TF_DEBUG=AR_HTTP just as USD does.
#ifndef AR_HTTP_CORE_DEBUG_SWITCH_H
#define AR_HTTP_CORE_DEBUG_SWITCH_H

#include <string>

namespace arhttp {

constexpr const char* kDebugSymbol = "AR_HTTP";

// `tfDebug` is a whitespace-separated list of names; a trailing '*' matches a
// prefix, a leading '-' turns off, and the last pattern that matches wins.
bool IsDebugSymbolEnabled(const std::string& tfDebug, const std::string& symbol);

}  // namespace arhttp

#endif
