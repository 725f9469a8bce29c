#include "Methods.h"

#include "addon/Arguments.h"
#include "addon/FetchedAsset.h"
#include "addon/ResolveWorker.h"
#include "core/layers/CrateScanner.h"
#include "core/layers/LayerScanner.h"
#include "core/layers/ZipArchive.h"
#include "core/text/UrlReference.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <variant>

namespace arhttp::addon {

namespace {

// The core's type: in this namespace the name is the method's.
using Layer = ::arhttp::LayerAssetPaths;
// What one file's layers name and, for a package, the files it holds
// (relative asset paths in its layers may name them); or why it could not be read.
struct FileScan {
    // Whether the file is a layer or a package at all (text, crate, zip),
    // naming assets or not.
    bool isLayer = false;
    std::vector<Layer> layers;
    std::vector<std::string> packagedFiles;
};
using FileAssetPaths = std::variant<FileScan, std::string>;

// What the first bytes of a layer file can be: text, crate, zip (what
// AssetPathsInLayerFile tells them by). Anything else is not read further.
bool MayBeLayer(const char* head, size_t size) {
    return IsCrate(head, size) || (size >= 5 && std::memcmp(head, "#usda", 5) == 0) ||
           (size >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0);
}

FileScan Scan(const char* data, size_t size) {
    FileScan scan;
    scan.layers = AssetPathsInLayerFile(data, size);
    for (const PackagedLayer& file : FilesInZip(data, size)) scan.packagedFiles.push_back(file.name);
    scan.isLayer = !scan.layers.empty() || !scan.packagedFiles.empty() || MayBeLayer(data, size);
    return scan;
}

// Closes the descriptor however the scan ends.
class OpenFile {
public:
    explicit OpenFile(const std::string& path)
        // Non-blocking: a FIFO handed over as a layer must not stall the pool.
        : _fd(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)) {}
    ~OpenFile() {
        if (_fd >= 0) close(_fd);
    }
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;
    int Fd() const { return _fd; }

private:
    const int _fd;
};

std::string SystemError(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// The file's bytes through AssetPathsInLayerFile, which tells layers by their
// content: any other file (an image) names nothing. A small file is read, a
// large one mapped, as ArHttpResolver::_AskAhead does: the scan touches only
// the pages it needs (a crate's tables, a zip's directory).
FileAssetPaths ScanFile(const std::string& path) {
    const OpenFile file(path);
    if (file.Fd() < 0) return SystemError("cannot open");
    struct stat info;
    if (fstat(file.Fd(), &info) != 0) return SystemError("cannot stat");
    if (!S_ISREG(info.st_mode)) return std::string("not a regular file");
    const size_t size = static_cast<size_t>(info.st_size);
    if (size == 0) return FileScan();
    // Images and the like are told by their first bytes, not read whole.
    char head[8];
    const ssize_t headSize = pread(file.Fd(), head, sizeof head, 0);
    if (headSize < 0) return SystemError("cannot read");
    if (!MayBeLayer(head, static_cast<size_t>(headSize))) return FileScan();
    constexpr size_t kReadUpTo = 256 * 1024;
    if (size <= kReadUpTo) {
        std::string bytes(size, '\0');
        size_t done = 0;
        while (done < size) {
            const ssize_t got = pread(file.Fd(), &bytes[done], size - done, static_cast<off_t>(done));
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) return SystemError("cannot read");
            if (got == 0) break;  // shrunk while read: scan what is there
            done += static_cast<size_t>(got);
        }
        return Scan(bytes.data(), done);
    }
    void* mapped = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, file.Fd(), 0);
    if (mapped == MAP_FAILED) return SystemError("cannot map");
    // A file cut short while mapped raises SIGBUS on the lost pages; layers
    // being rewritten under a pin are the user's race, as for usdcat.
    FileAssetPaths found = Scan(static_cast<const char*>(mapped), size);
    munmap(mapped, size);
    return found;
}

// A layer by URL: its file in the content cache (downloaded if need be, as
// fetchAsset() does), scanned. In a package, the relative paths that stay in
// it are left out, as ArHttpResolver::_AskAhead leaves them.
FileAssetPaths ScanContent(const Backend& backend, const std::string& url) {
    const ContentFile content = FetchAsset(backend, url);
    if (content.localPath.empty()) return "unavailable: " + content.why;
    FileAssetPaths found = ScanFile(content.localPath);
    if (auto* scan = std::get_if<FileScan>(&found)) {
        for (Layer& layer : scan->layers) {
            if (layer.packagedPath.empty()) continue;
            auto& paths = layer.assetPaths;
            paths.erase(std::remove_if(paths.begin(), paths.end(),
                                       [&](const std::string& path) { return StaysInRemotePackage(path, url); }),
                        paths.end());
        }
    }
    return found;
}

// LayerScanner over many files on libuv's thread pool.
class LayerAssetPathsWorker : public ResolveWorker {
public:
    LayerAssetPathsWorker(Napi::Env env, std::vector<std::string> files)
        : ResolveWorker(env, "ar-http:layerAssetPaths", std::string(), ServerContext()),
          _files(std::move(files)) {}

private:
    void Run() override {
        _found.reserve(_files.size());
        for (const std::string& file : _files) {
            _found.push_back(IsContentUrl(file) ? ScanContent(*_backend, file) : ScanFile(file));
        }
    }

    void OnOK() override {
        const Napi::Env env = Env();
        Napi::Array result = Napi::Array::New(env, _found.size());
        for (size_t i = 0; i < _found.size(); ++i) {
            if (const auto* reason = std::get_if<std::string>(&_found[i])) {
                result.Set(i, Napi::String::New(env, *reason));
                continue;
            }
            const FileScan& scan = std::get<FileScan>(_found[i]);
            Napi::Array layers = Napi::Array::New(env, scan.layers.size());
            for (size_t j = 0; j < scan.layers.size(); ++j) {
                Napi::Object layer = Napi::Object::New(env);
                layer.Set("packagedPath", StringArray(env, scan.layers[j].packagedPath));
                layer.Set("assetPaths", StringArray(env, scan.layers[j].assetPaths));
                layers.Set(j, layer);
            }
            Napi::Object file = Napi::Object::New(env);
            file.Set("isLayer", scan.isLayer);
            file.Set("layers", layers);
            file.Set("packagedFiles", StringArray(env, scan.packagedFiles));
            result.Set(i, file);
        }
        _deferred.Resolve(result);
    }

    const std::vector<std::string> _files;
    std::vector<FileAssetPaths> _found;
};

}  // namespace

Napi::Value LayerAssetPaths(const Napi::CallbackInfo& info) {
    return (new LayerAssetPathsWorker(info.Env(), StringsArgument(info, 0, "files")))->Start();
}

}  // namespace arhttp::addon
