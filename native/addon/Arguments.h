// Checks of JavaScript arguments: a wrong type throws TypeError, never crashes.
#ifndef AR_HTTP_ADDON_ARGUMENTS_H
#define AR_HTTP_ADDON_ARGUMENTS_H

#include <napi.h>

#include <string>

namespace arhttp::addon {

// `value` as a string without NUL characters, or a TypeError naming `name`.
std::string StringValue(Napi::Env env, const Napi::Value& value, const char* name);

// info[index] as a string without NUL characters; `undefined` gives "" when
// `optional` is set.
std::string StringArgument(const Napi::CallbackInfo& info, size_t index,
                           const char* name, bool optional = false);

}  // namespace arhttp::addon

#endif
