// OpenUSD's coding of 32-bit integer lists (pxr/usd/usd/integerCoding.cpp), as
// crate files hold the token indexes of their fields; decoding only, written
// from the format, for hostile input.
#ifndef AR_HTTP_CORE_CRATE_INTEGERS_H
#define AR_HTTP_CORE_CRATE_INTEGERS_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace arhttp {

// Decodes `count` integers from [data, data + size): the most common
// difference (int32), 2-bit codes, four to a byte (common, int8, int16 or
// int32 difference), then the differences the codes call for; each integer is
// the previous one plus its difference. False when the bytes run out.
bool DecodeIntegers(const char* data, std::size_t size, std::size_t count, std::vector<std::uint32_t>* out);

// The same, compressed by TfFastCompression (see FastDecompress.h), as crate
// sections hold them. The caller bounds `count`.
bool DecompressIntegers(const char* data, std::size_t size, std::size_t count, std::vector<std::uint32_t>* out);

}  // namespace arhttp

#endif
