// Checks of JavaScript arguments: a wrong type throws a bare TypeError naming
// the argument, never crashes (lib/native/binding.ts adds the prefix and code).
#ifndef AR_HTTP_ADDON_ARGUMENTS_H
#define AR_HTTP_ADDON_ARGUMENTS_H

#include "core/settings/ServerContext.h"

#include <napi.h>

#include <string>
#include <vector>

namespace arhttp::addon {

// `value` as a string without NUL characters, or a TypeError naming `name`.
std::string StringValue(Napi::Env env, const Napi::Value& value, const char* name);

// info[index] as a string without NUL characters; `undefined` gives "" when
// `optional` is set.
std::string StringArgument(const Napi::CallbackInfo& info, size_t index,
                           const char* name, bool optional = false);

// info[index] as a boolean; `undefined` gives false.
bool BooleanArgument(const Napi::CallbackInfo& info, size_t index, const char* name);

// info[index] as an array of such strings, or a TypeError naming `name`.
std::vector<std::string> StringsArgument(const Napi::CallbackInfo& info, size_t index,
                                         const char* name);

// `strings` as a JavaScript array, for results.
Napi::Array StringArray(Napi::Env env, const std::vector<std::string>& strings);

// info[index] as a resolver context: undefined, or an object of optional
// serverUrl, pathFormat, headers (an object of strings), snapshot and pins. A refused part
// throws an Error naming it (header values of secrets are never shown).
ServerContext ContextArgument(const Napi::CallbackInfo& info, size_t index);

}  // namespace arhttp::addon

#endif
