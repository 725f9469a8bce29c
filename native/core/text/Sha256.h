// SHA-256 (FIPS 180-4), for the content cache: the names of its files and the
// check of a digest a server states. Small and in the core, so that the
// plugin needs no OpenSSL of its own for it.
#ifndef AR_HTTP_CORE_SHA256_H
#define AR_HTTP_CORE_SHA256_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace arhttp {

class Sha256 {
public:
    Sha256();
    void Update(const void* data, std::size_t size);
    // The 32 bytes of the digest; the object is spent.
    std::string Finish();

    // The digest of `text` at once.
    static std::string Of(std::string_view text);
    // Lower-case hexadecimal of `bytes`.
    static std::string Hex(std::string_view bytes);
    // Base64 (RFC 4648, with padding) of `bytes`, as HTTP digests carry it.
    static std::string Base64(std::string_view bytes);

private:
    void Block(const unsigned char* block);

    std::uint32_t _state[8];
    unsigned char _buffer[64];
    std::size_t _buffered = 0;
    std::uint64_t _length = 0;
};

}  // namespace arhttp

#endif
