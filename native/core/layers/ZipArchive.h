// The files a .usdz package holds: a usdz is a zip archive whose files are
// stored uncompressed, so a layer inside is a range of the package's bytes
// that the layer scanners can read in place. Every byte is taken for hostile
// input.
#ifndef AR_HTTP_CORE_ZIP_ARCHIVE_H
#define AR_HTTP_CORE_ZIP_ARCHIVE_H

#include <cstddef>
#include <string>
#include <vector>

namespace arhttp {

struct PackagedLayer {
    std::string name;  // the path inside the archive
    const char* data;  // into the archive's bytes
    std::size_t size;
};

// The stored (uncompressed) files of a zip archive, in the order of its
// central directory; files compressed or encrypted, directories, and entries
// pointing outside the data are left out. Empty for anything that is not a
// readable single-disk zip; zip64 is not read (USD writes none).
std::vector<PackagedLayer> FilesInZip(const char* data, std::size_t size) noexcept;

}  // namespace arhttp

#endif
