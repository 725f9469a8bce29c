// Decompression of what OpenUSD's TfFastCompression writes (LZ4 blocks behind a
// chunk count byte), as crate files hold their sections; written from the
// formats, for hostile input: nothing is read or written outside the buffers.
#ifndef AR_HTTP_CORE_FAST_DECOMPRESS_H
#define AR_HTTP_CORE_FAST_DECOMPRESS_H

#include <cstddef>
#include <optional>

namespace arhttp {

// The most `compressedSize` bytes can decompress to: an LZ4 sequence gains at
// most 255 to 1. Callers check a claimed size against it before allocating.
std::size_t MaxDecompressedSize(std::size_t compressedSize);

// Decompresses one LZ4 block into [out, out + capacity): the number of bytes
// written, or nullopt when the block is corrupt, truncated, or would write
// more than `capacity`.
std::optional<std::size_t> DecompressLz4Block(const char* in, std::size_t size, char* out,
                                              std::size_t capacity);

// Decompresses TfFastCompression's output: a chunk count byte, then, for 0,
// one LZ4 block, else that many blocks each after its int32 size. The bytes
// written, or nullopt as for DecompressLz4Block.
std::optional<std::size_t> FastDecompress(const char* in, std::size_t size, char* out, std::size_t capacity);

}  // namespace arhttp

#endif
