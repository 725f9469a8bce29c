// A tiny assertion helper for the native core's unit tests (main.cpp runs
// them; 83.coreUnits.test.ts builds and runs them under ASan and UBSan).
// CHECK(cond) and CHECK_EQ(actual, expected) count every check and print
// file:line, the expression and the values of each one that fails.
#ifndef AR_HTTP_TEST_UNITS_CHECK_H
#define AR_HTTP_TEST_UNITS_CHECK_H

#include <cstdint>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace units {

inline int checks = 0;
inline int failures = 0;

// A value for a failure message; strings as C++ source would spell them.
template <typename T> std::string Show(const std::optional<T>& value);
template <typename T> std::string Show(const std::vector<T>& values);
template <typename A, typename B> std::string Show(const std::pair<A, B>& pair);
template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T>>> std::string Show(T value);

inline std::string Show(std::string_view text) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string shown = "\"";
    for (unsigned char c : text.substr(0, 200)) {
        if (c == '"' || c == '\\') {
            shown += '\\';
            shown += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7F) {
            shown += "\\x";
            shown += kHex[c >> 4];
            shown += kHex[c & 0x0F];
        } else {
            shown += static_cast<char>(c);
        }
    }
    if (text.size() > 200) shown += "\"... (" + std::to_string(text.size()) + " bytes)";
    else shown += '"';
    return shown;
}
inline std::string Show(const std::string& text) { return Show(std::string_view(text)); }
inline std::string Show(const char* text) { return Show(std::string_view(text)); }
inline std::string Show(std::nullopt_t) { return "nullopt"; }
inline std::string Show(bool value) { return value ? "true" : "false"; }
template <typename T>
std::string Show(const std::optional<T>& value) {
    return value ? Show(*value) : "nullopt";
}
template <typename T>
std::string Show(const std::vector<T>& values) {
    std::string shown = "{";
    for (size_t i = 0; i < values.size(); ++i) shown += (i ? ", " : "") + Show(values[i]);
    return shown + "}";
}
template <typename A, typename B>
std::string Show(const std::pair<A, B>& pair) {
    return "(" + Show(pair.first) + ", " + Show(pair.second) + ")";
}
template <typename T, typename>
std::string Show(T value) {
    std::ostringstream out;
    out << +value;
    return out.str();
}

inline bool Check(bool ok, const char* expression, const char* file, int line) {
    ++checks;
    if (!ok) {
        ++failures;
        std::fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, expression);
    }
    return ok;
}

template <typename A, typename B>
bool CheckEq(const A& actual, const B& expected, const char* expressions, const char* file, int line) {
    ++checks;
    const bool ok = actual == expected;
    if (!ok) {
        ++failures;
        std::fprintf(stderr, "%s:%d: FAILED: CHECK_EQ(%s)\n    actual:   %s\n    expected: %s\n", file, line,
                     expressions, Show(actual).c_str(), Show(expected).c_str());
    }
    return ok;
}

// A resolved-path example of protocol/protocol.json.
// Little-endian integers as bytes, for hand-built crate files and zips.
inline std::string LittleEndian(std::uint64_t value, int bytes) {
    std::string text;
    for (int i = 0; i < bytes; ++i) text += static_cast<char>(value >> (8 * i) & 0xFF);
    return text;
}
inline std::string U16(std::uint64_t value) { return LittleEndian(value, 2); }
inline std::string U32(std::uint64_t value) { return LittleEndian(value, 4); }
inline std::string U64(std::uint64_t value) { return LittleEndian(value, 8); }

struct Example {
    bool valid;
    std::string path;
};

// A crate file usdcat wrote and the asset paths its source names.
struct CrateFile {
    std::string name;
    std::string bytes;
    std::vector<std::string> expected;
};

// The areas, each in its own file.
void Parsers(const std::vector<Example>& resolvedPathExamples);
void FileSystem();
void Cache();
void Scanner();
void Crates(const std::vector<CrateFile>& fromUsdcat);
void Zip(const std::vector<CrateFile>& fromUsdcat);
void Engine();
void Feed();
void Pins();
void Content();

}  // namespace units

#define CHECK(cond) ::units::Check(static_cast<bool>(cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(actual, expected) \
    ::units::CheckEq((actual), (expected), #actual ", " #expected, __FILE__, __LINE__)

#endif
