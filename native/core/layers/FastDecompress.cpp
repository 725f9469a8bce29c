#include "core/layers/FastDecompress.h"

#include <cstdint>
#include <cstring>
#include <limits>

namespace arhttp {

namespace {

using Byte = unsigned char;

// LZ4_MAX_INPUT_SIZE: TfFastCompression cuts its input into chunks of this size.
constexpr std::size_t kMaxChunkSize = 0x7E000000;
// TfFastCompression reads the count as a char: writers never go past 127 chunks.
constexpr unsigned kMaxChunks = 127;

// A literal or match length: the token's nibble, and when that is 15, the sum
// of the bytes that follow up to and including the first one that is not 255.
bool ReadLength(const Byte*& at, const Byte* end, std::size_t limit, std::size_t* length) {
    if (*length != 15) return true;
    for (;;) {
        if (at == end) return false;
        const Byte more = *at++;
        *length += more;
        if (*length > limit) return false;  // refused below anyway; keeps the sum from growing
        if (more != 255) return true;
    }
}

}  // namespace

std::size_t MaxDecompressedSize(std::size_t compressedSize) {
    constexpr std::size_t kRatio = 255;
    if (compressedSize > std::numeric_limits<std::size_t>::max() / kRatio) {
        return std::numeric_limits<std::size_t>::max();
    }
    return compressedSize * kRatio;
}

std::optional<std::size_t> DecompressLz4Block(const char* in, std::size_t size, char* out,
                                              std::size_t capacity) {
    const Byte* at = reinterpret_cast<const Byte*>(in);
    const Byte* const end = at + size;
    std::size_t written = 0;
    for (;;) {
        // A block ends right after a sequence's literals, never between sequences.
        if (at == end) return std::nullopt;
        const Byte token = *at++;
        std::size_t literals = token >> 4;
        if (!ReadLength(at, end, size, &literals)) return std::nullopt;
        if (literals > static_cast<std::size_t>(end - at) || literals > capacity - written) return std::nullopt;
        if (literals) std::memcpy(out + written, at, literals);
        at += literals;
        written += literals;
        if (at == end) return written;

        if (end - at < 2) return std::nullopt;
        const std::size_t offset = at[0] | static_cast<std::size_t>(at[1]) << 8;
        at += 2;
        if (offset == 0 || offset > written) return std::nullopt;
        std::size_t match = token & 15;
        if (!ReadLength(at, end, capacity, &match)) return std::nullopt;
        match += 4;
        if (match > capacity - written) return std::nullopt;
        char* const to = out + written;
        const char* const from = to - offset;
        // A match overlapping the bytes it writes (a run) goes byte by byte.
        if (offset >= match) std::memcpy(to, from, match);
        else for (std::size_t i = 0; i < match; ++i) to[i] = from[i];
        written += match;
    }
}

std::optional<std::size_t> FastDecompress(const char* in, std::size_t size, char* out, std::size_t capacity) {
    if (size == 0) return std::nullopt;
    const unsigned chunks = static_cast<Byte>(in[0]);
    if (chunks == 0) return DecompressLz4Block(in + 1, size - 1, out, capacity);
    if (chunks > kMaxChunks) return std::nullopt;
    std::size_t read = 1;
    std::size_t written = 0;
    for (unsigned chunk = 0; chunk < chunks; ++chunk) {
        if (size - read < 4) return std::nullopt;
        const Byte* sizeBytes = reinterpret_cast<const Byte*>(in + read);
        const std::uint32_t chunkSize = sizeBytes[0] | sizeBytes[1] << 8 | sizeBytes[2] << 16 |
                                        static_cast<std::uint32_t>(sizeBytes[3]) << 24;
        read += 4;
        if (chunkSize > size - read) return std::nullopt;  // also refuses a negative int32
        const std::size_t room = capacity - written < kMaxChunkSize ? capacity - written : kMaxChunkSize;
        const auto decompressed = DecompressLz4Block(in + read, chunkSize, out + written, room);
        if (!decompressed) return std::nullopt;
        read += chunkSize;
        written += *decompressed;
    }
    return written;
}

}  // namespace arhttp
