#include "core/layers/CrateIntegers.h"

#include "core/layers/FastDecompress.h"

#include <memory>

namespace arhttp {

namespace {

// A little-endian signed integer of `bytes` bytes, sign-extended to 32 bits;
// wrapping arithmetic on uint32 then gives what the writer's int32 sums gave.
std::uint32_t SignedValue(const unsigned char* at, int bytes) {
    std::uint32_t value = 0;
    for (int i = 0; i < bytes; ++i) value |= static_cast<std::uint32_t>(at[i]) << (8 * i);
    const std::uint32_t sign = std::uint32_t(1) << (8 * bytes - 1);
    return (value ^ sign) - sign;
}

}  // namespace

bool DecodeIntegers(const char* data, std::size_t size, std::size_t count, std::vector<std::uint32_t>* out) {
    out->clear();
    if (count == 0) return true;
    const std::size_t codeBytes = count / 4 + (count % 4 != 0);
    if (size < 4 || codeBytes > size - 4) return false;
    const auto* const begin = reinterpret_cast<const unsigned char*>(data);
    const std::uint32_t common = SignedValue(begin, 4);
    const unsigned char* const codes = begin + 4;
    const unsigned char* values = codes + codeBytes;
    const unsigned char* const end = begin + size;
    static const int kWidths[4] = {0, 1, 2, 4};  // common, int8, int16, int32
    out->reserve(count);
    std::uint32_t previous = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const int width = kWidths[(codes[i / 4] >> (2 * (i % 4))) & 3];
        if (width > end - values) return false;
        previous += width ? SignedValue(values, width) : common;
        values += width;
        out->push_back(previous);
    }
    return true;
}

bool DecompressIntegers(const char* data, std::size_t size, std::size_t count, std::vector<std::uint32_t>* out) {
    out->clear();
    if (count == 0) return true;
    // What `size` bytes can hold at most, and the writer's encoding of `count`
    // integers at most (a common value, 2 bits and 4 bytes an integer).
    std::size_t room = MaxDecompressedSize(size);
    if (count < room / 5) room = 4 + count / 4 + 1 + 4 * count;
    std::unique_ptr<char[]> encoded(new char[room]);
    const auto decompressed = FastDecompress(data, size, encoded.get(), room);
    return decompressed && DecodeIntegers(encoded.get(), *decompressed, count, out);
}

}  // namespace arhttp
