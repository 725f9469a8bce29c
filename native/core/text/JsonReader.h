// A bounded JSON reader for files a user hands us (pin files): it walks the
// text once, decodes strings into the caller's buffer, and never recurses,
// throws or allocates beyond what it decodes. The first problem stops it:
// Error() says what and where.
#ifndef AR_HTTP_CORE_JSON_READER_H
#define AR_HTTP_CORE_JSON_READER_H

#include <cstddef>
#include <string>
#include <string_view>

namespace arhttp {

class JsonReader {
public:
    // Values skipped whole (SkipValue) may nest this deep.
    static constexpr size_t kMaxDepth = 64;

    explicit JsonReader(std::string_view text) : _text(text) {}

    // Skips whitespace; then whether the next character is `c` (consumed if so).
    bool Take(char c);
    // As Take, but a missing `c` is an error naming `what`.
    bool Expect(char c, const char* what);
    // Whether only whitespace is left.
    bool AtEnd();
    // The next character after whitespace, or '\0' at the end.
    char Peek();

    // Appends the string value at the cursor, decoded (escapes, \uXXXX and
    // surrogate pairs; UTF-8 checked), to `out`: false and an error for
    // anything else, for a string whose decoded bytes pass `maxBytes`
    // (naming it `what`), raw control characters and bad escapes.
    bool ReadString(std::string* out, size_t maxBytes, const char* what);
    // Takes `null` if it is next.
    bool TakeNull();
    // The text of the number at the cursor, as JSON spells numbers.
    bool ReadNumber(std::string_view* number);
    // Skips any one value, nesting at most kMaxDepth deep.
    bool SkipValue();

    bool Failed() const { return !_error.empty(); }
    // What went wrong and at which byte; empty when nothing did.
    const std::string& Error() const { return _error; }
    // Sets the error (the first one stays), with the current offset.
    bool Fail(const std::string& problem);

private:
    void SkipSpace();
    bool ReadHex4(unsigned* value);

    std::string_view _text;
    size_t _at = 0;
    std::string _error;
};

}  // namespace arhttp

#endif
