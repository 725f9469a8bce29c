#include "core/settings/DebugSwitch.h"

#include <sstream>

namespace arhttp {

bool IsDebugSymbolEnabled(const std::string& tfDebug, const std::string& symbol) {
    bool enabled = false;
    std::istringstream tokens(tfDebug);
    std::string pattern;
    while (tokens >> pattern) {
        bool value = true;
        if (pattern[0] == '-') {
            pattern.erase(0, 1);
            value = false;
        }
        if (pattern.empty()) continue;
        if (pattern.back() == '*') {
            pattern.pop_back();
            if (symbol.compare(0, pattern.size(), pattern) == 0) enabled = value;
        } else if (pattern == symbol) {
            enabled = value;
        }
    }
    return enabled;
}

}  // namespace arhttp
