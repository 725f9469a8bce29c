#include "core/text/JsonReader.h"

#include <vector>

namespace arhttp {

namespace {

// The length of the UTF-8 sequence at `text[at]` (its first byte >= 0x80),
// or 0 when it is not well formed (overlong, surrogate, past U+10FFFF, cut).
size_t Utf8SequenceLength(std::string_view text, size_t at) {
    const unsigned char first = text[at];
    size_t length;
    unsigned low = 0x80, high = 0xBF;  // the bounds of the second byte
    if (first >= 0xC2 && first <= 0xDF) {
        length = 2;
    } else if (first >= 0xE0 && first <= 0xEF) {
        length = 3;
        if (first == 0xE0) low = 0xA0;
        if (first == 0xED) high = 0x9F;
    } else if (first >= 0xF0 && first <= 0xF4) {
        length = 4;
        if (first == 0xF0) low = 0x90;
        if (first == 0xF4) high = 0x8F;
    } else {
        return 0;
    }
    if (at + length > text.size()) return 0;
    for (size_t i = 1; i < length; ++i) {
        const unsigned char c = text[at + i];
        if (c < (i == 1 ? low : 0x80) || c > (i == 1 ? high : 0xBF)) return 0;
    }
    return length;
}

void AppendUtf8(unsigned code, std::string* out) {
    if (code < 0x80) {
        *out += static_cast<char>(code);
    } else if (code < 0x800) {
        *out += static_cast<char>(0xC0 | (code >> 6));
        *out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        *out += static_cast<char>(0xE0 | (code >> 12));
        *out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        *out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        *out += static_cast<char>(0xF0 | (code >> 18));
        *out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        *out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        *out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

}  // namespace

bool JsonReader::Fail(const std::string& problem) {
    if (_error.empty()) {
        _error = _at >= _text.size() ? problem + " (the file ends early, at byte " + std::to_string(_at) + ")"
                                     : problem + " at byte " + std::to_string(_at);
    }
    return false;
}

void JsonReader::SkipSpace() {
    while (_at < _text.size()) {
        const char c = _text[_at];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
        ++_at;
    }
}

char JsonReader::Peek() {
    SkipSpace();
    return _at < _text.size() ? _text[_at] : '\0';
}

bool JsonReader::Take(char c) {
    if (Failed() || Peek() != c || _at >= _text.size()) return false;
    ++_at;
    return true;
}

bool JsonReader::Expect(char c, const char* what) {
    if (Take(c)) return true;
    return Fail(std::string("expected ") + what);
}

bool JsonReader::AtEnd() {
    SkipSpace();
    return _at == _text.size();
}

bool JsonReader::TakeNull() {
    if (Failed() || Peek() != 'n') return false;
    if (_text.substr(_at, 4) != "null") return Fail("not JSON: a bad literal");
    _at += 4;
    return true;
}

bool JsonReader::ReadHex4(unsigned* value) {
    if (_at + 4 > _text.size()) return Fail("a cut \\u escape");
    *value = 0;
    for (size_t i = 0; i < 4; ++i) {
        const char c = _text[_at + i];
        const int digit = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
        if (digit < 0) return Fail("a \\u escape without four hex digits");
        *value = *value * 16 + static_cast<unsigned>(digit);
    }
    _at += 4;
    return true;
}

bool JsonReader::ReadString(std::string* out, size_t maxBytes, const char* what) {
    if (Failed()) return false;
    if (Peek() != '"') return Fail(std::string("expected ") + what + " (a string)");
    ++_at;
    const size_t start = out->size();
    while (true) {
        // Runs of plain characters are copied at once.
        size_t run = _at;
        while (run < _text.size()) {
            const unsigned char c = _text[run];
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
            ++run;
        }
        // Checked before copying a run (a string past its bound costs no
        // memory), and after each escape or UTF-8 sequence.
        if (out->size() - start + (run - _at) > maxBytes) {
            return Fail(std::string(what) + " longer than " + std::to_string(maxBytes) + " bytes");
        }
        out->append(_text.data() + _at, run - _at);
        _at = run;
        if (_at >= _text.size()) return Fail("not JSON: a string is not closed");
        const unsigned char c = _text[_at];
        if (c == '"') {
            ++_at;
            return true;
        }
        if (c < 0x20) return Fail("not JSON: a raw control character in a string");
        if (c >= 0x80) {
            const size_t length = Utf8SequenceLength(_text, _at);
            if (length == 0) return Fail("not UTF-8");
            out->append(_text.data() + _at, length);
            _at += length;
            continue;
        }
        // A backslash.
        if (++_at >= _text.size()) return Fail("not JSON: a string is not closed");
        const char escape = _text[_at++];
        switch (escape) {
        case '"': *out += '"'; break;
        case '\\': *out += '\\'; break;
        case '/': *out += '/'; break;
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'n': *out += '\n'; break;
        case 'r': *out += '\r'; break;
        case 't': *out += '\t'; break;
        case 'u': {
            unsigned code;
            if (!ReadHex4(&code)) return false;
            if (code >= 0xDC00 && code <= 0xDFFF) return Fail("a lone low surrogate (\\u escape)");
            if (code >= 0xD800 && code <= 0xDBFF) {
                unsigned low;
                if (_text.substr(_at, 2) != "\\u") return Fail("a high surrogate without its low half");
                _at += 2;
                if (!ReadHex4(&low)) return false;
                if (low < 0xDC00 || low > 0xDFFF) return Fail("a high surrogate without its low half");
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            }
            AppendUtf8(code, out);
            break;
        }
        default:
            --_at;
            return Fail("not JSON: a bad escape in a string");
        }
    }
}

bool JsonReader::ReadNumber(std::string_view* number) {
    if (Failed()) return false;
    SkipSpace();
    const size_t start = _at;
    auto digits = [&] {
        const size_t from = _at;
        while (_at < _text.size() && _text[_at] >= '0' && _text[_at] <= '9') ++_at;
        return _at - from;
    };
    if (_at < _text.size() && _text[_at] == '-') ++_at;
    const size_t whole = digits();
    if (whole == 0 || (whole > 1 && _text[_at - whole] == '0')) return Fail("not JSON: a bad number");
    if (_at < _text.size() && _text[_at] == '.') {
        ++_at;
        if (digits() == 0) return Fail("not JSON: a bad number");
    }
    if (_at < _text.size() && (_text[_at] == 'e' || _text[_at] == 'E')) {
        ++_at;
        if (_at < _text.size() && (_text[_at] == '+' || _text[_at] == '-')) ++_at;
        if (digits() == 0) return Fail("not JSON: a bad number");
    }
    *number = _text.substr(start, _at - start);
    return true;
}

bool JsonReader::SkipValue() {
    // What each open container is: the stack is the only memory, bounded.
    std::vector<char> open;
    std::string scratch;
    while (!Failed()) {
        const char c = Peek();
        if (c == '{' || c == '[') {
            if (open.size() == kMaxDepth) return Fail("nested more than " + std::to_string(kMaxDepth) + " deep");
            ++_at;
            open.push_back(c);
            if (Take(c == '{' ? '}' : ']')) {
                open.pop_back();
            } else if (c == '{') {
                scratch.clear();
                if (!ReadString(&scratch, SIZE_MAX, "a key") || !Expect(':', "':'")) return false;
                continue;
            } else {
                continue;
            }
        } else if (c == '"') {
            scratch.clear();
            if (!ReadString(&scratch, SIZE_MAX, "a string")) return false;
        } else if (c == 't' || c == 'f' || c == 'n') {
            const std::string_view word = c == 't' ? "true" : c == 'f' ? "false" : "null";
            if (_text.substr(_at, word.size()) != word) return Fail("not JSON: a bad literal");
            _at += word.size();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            std::string_view number;
            if (!ReadNumber(&number)) return false;
        } else {
            return Fail("not JSON: expected a value");
        }
        // After a value: close what ends here, or go on to the next member.
        while (!open.empty()) {
            const bool object = open.back() == '{';
            if (Take(object ? '}' : ']')) {
                open.pop_back();
                continue;
            }
            if (!Expect(',', object ? "',' or '}'" : "',' or ']'")) return false;
            if (object) {
                scratch.clear();
                if (!ReadString(&scratch, SIZE_MAX, "a key") || !Expect(':', "':'")) return false;
            }
            break;
        }
        if (open.empty()) return true;
    }
    return false;
}

}  // namespace arhttp
