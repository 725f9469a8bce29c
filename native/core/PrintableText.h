// User-given text as it may appear in a message: quoted, with control
// characters escaped, so a hostile value cannot forge log lines or drive a
// terminal.
#ifndef AR_HTTP_CORE_PRINTABLE_TEXT_H
#define AR_HTTP_CORE_PRINTABLE_TEXT_H

#include <string>

namespace arhttp {

// "text" with '"', '\\' and bytes below 0x20 or 0x7F escaped; at most
// `maxLength` bytes of `text` are shown.
std::string Quoted(const std::string& text, size_t maxLength = 200);

}  // namespace arhttp

#endif
