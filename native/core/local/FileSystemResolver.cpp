#include "core/local/FileSystemResolver.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace arhttp {

namespace {

bool IsRelativePath(const std::string& path) {
    return !path.empty() && path[0] != '/';
}

bool IsFileRelativePath(const std::string& path) {
    return path.compare(0, 2, "./") == 0 || path.compare(0, 3, "../") == 0;
}

std::string CurrentDirectory() {
    std::string buffer(4096, '\0');
    while (!getcwd(&buffer[0], buffer.size())) {
        if (errno != ERANGE) return std::string();
        buffer.resize(buffer.size() * 2);
    }
    buffer.resize(buffer.find('\0'));
    return buffer;
}

std::string CatPaths(const std::string& a, const std::string& b) {
    return FileSystemResolver::NormPath(a + "/" + b);
}

std::string AbsPath(const std::string& path) {
    return IsRelativePath(path) ? CatPaths(CurrentDirectory(), path)
                                : FileSystemResolver::NormPath(path);
}

// TfPathExists without symlink resolution: lstat, as OpenUSD does.
bool PathExists(const std::string& path) {
    struct stat info;
    return lstat(path.c_str(), &info) == 0;
}

// Whether `path` (past a leading '/') has no empty, "." or ".." segment:
// then it is its own normal form, and, relative, names the same file as its
// absolute form.
bool IsNormal(const std::string& path) {
    if (path.empty() || path.back() == '/') return false;
    for (size_t start = path[0] == '/' ? 1 : 0; start <= path.size();) {
        const size_t end = std::min(path.find('/', start), path.size());
        const size_t length = end - start;
        if (length == 0 || (path[start] == '.' && (length == 1 || (length == 2 && path[start + 1] == '.')))) {
            return false;
        }
        start = end + 1;
    }
    return true;
}

std::string ResolveAnchored(const std::string& anchor, const std::string& path) {
    const std::string candidate = anchor.empty() ? path : CatPaths(anchor, path);
    return PathExists(candidate) ? AbsPath(candidate) : std::string();
}

std::string AnchorRelativePath(const std::string& anchor, const std::string& path) {
    if (IsRelativePath(anchor) || !IsRelativePath(path)) return path;
    // An anchor not ending in '/' names a file: anchor to its folder.
    const size_t slash = anchor.rfind('/');
    return CatPaths(anchor.substr(0, slash), path);
}

}  // namespace

FileSystemResolver::FileSystemResolver(std::vector<std::string> searchPaths)
    : _searchPaths(std::move(searchPaths)) {}

std::vector<std::string> FileSystemResolver::ParseSearchPath(const std::string& value) {
    std::vector<std::string> folders;
    size_t start = 0;
    while (start <= value.size()) {
        const size_t end = std::min(value.find(':', start), value.size());
        const std::string folder = value.substr(start, end - start);
        if (!folder.empty()) folders.push_back(AbsPath(folder));
        start = end + 1;
    }
    return folders;
}

bool FileSystemResolver::IsSearchPath(const std::string& path) {
    return IsRelativePath(path) && !IsFileRelativePath(path);
}

std::string FileSystemResolver::NormPath(const std::string& path) {
    if (path.empty() || IsNormal(path)) return path;
    const bool absolute = path[0] == '/';
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t end = std::min(path.find('/', start), path.size());
        const std::string part = path.substr(start, end - start);
        start = end + 1;
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            if (!parts.empty() && parts.back() != "..") {
                parts.pop_back();
            } else if (!absolute) {
                parts.push_back(part);
            }
            continue;
        }
        parts.push_back(part);
    }
    std::string normalised = absolute ? "/" : "";
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i) normalised += '/';
        normalised += parts[i];
    }
    return normalised.empty() ? "." : normalised;
}

std::string FileSystemResolver::CreateIdentifier(const std::string& assetPath,
                                                 const std::string& anchor) const {
    if (assetPath.empty()) return assetPath;
    if (anchor.empty()) return NormPath(assetPath);
    const std::string anchored = AnchorRelativePath(anchor, assetPath);
    if (IsSearchPath(assetPath) && Resolve(anchored).empty()) {
        return NormPath(assetPath);
    }
    return NormPath(anchored);
}

std::string FileSystemResolver::Resolve(const std::string& assetPath) const {
    // A NUL would cut the path short at the system call: never local.
    if (assetPath.empty() || assetPath.find('\0') != std::string::npos) return std::string();
    if (!IsRelativePath(assetPath)) return ResolveAnchored(std::string(), assetPath);

    std::string resolved;
    // Every resolve asks the filesystem first: probed as it is, the usual
    // miss costs one system call, no getcwd and no normalisation.
    if (IsNormal(assetPath)) {
        if (PathExists(assetPath)) resolved = AbsPath(assetPath);
    } else {
        resolved = ResolveAnchored(CurrentDirectory(), assetPath);
    }
    if (!resolved.empty() || !IsSearchPath(assetPath)) return resolved;
    for (const std::string& folder : _searchPaths) {
        resolved = ResolveAnchored(folder, assetPath);
        if (!resolved.empty()) return resolved;
    }
    return std::string();
}

}  // namespace arhttp
