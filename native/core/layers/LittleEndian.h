// Little-endian integers read from bytes of any alignment, as crate files and
// zip archives store them.
#ifndef AR_HTTP_CORE_LITTLE_ENDIAN_H
#define AR_HTTP_CORE_LITTLE_ENDIAN_H

#include <cstdint>

namespace arhttp {

// The `bytes` (at most 8) at `at`, least significant first; the caller has
// checked that they are there.
inline std::uint64_t LoadLittleEndian(const char* at, int bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value |= static_cast<std::uint64_t>(static_cast<unsigned char>(at[i])) << (8 * i);
    return value;
}

}  // namespace arhttp

#endif
