// User-given text as it may appear in a message: quoted, with control
// characters escaped, so a hostile value cannot forge log lines or drive a
// terminal, and cut short, so that no message line grows with its input.
#ifndef AR_HTTP_CORE_PRINTABLE_TEXT_H
#define AR_HTTP_CORE_PRINTABLE_TEXT_H

#include <string>

namespace arhttp {

// "text" with '"', '\\' and bytes below 0x20 or 0x7F escaped; what is shown
// of `text` stops once it is `maxLength` bytes long, then "..." follows.
std::string Quoted(const std::string& text, size_t maxLength = 200);

// The same without quotes ('"' and '\\' as they are): for URLs.
std::string Printable(const std::string& text, size_t maxLength = 200);

}  // namespace arhttp

#endif
