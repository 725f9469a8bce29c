// An exclusive lock on a file, shared by every process of the machine (flock),
// so that one URL is downloaded by one process at a time. The lock file may be
// removed by its holder (the cache evicting an entry): whoever then locks the
// old file sees it is no longer the one named, and locks the new one.
#ifndef AR_HTTP_CORE_FILE_LOCK_H
#define AR_HTTP_CORE_FILE_LOCK_H

#include <memory>
#include <string>

namespace arhttp {

class FileLock {
public:
    // The lock of `path` (created if missing) if no one holds it; null when
    // someone does, or, with `error` set, when it cannot be had at all.
    static std::unique_ptr<FileLock> TryLock(const std::string& path, std::string* error);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    // Removes the lock file, still held: for an entry evicted whole.
    void Remove();

private:
    FileLock(std::string path, int fd) : _path(std::move(path)), _fd(fd) {}

    const std::string _path;
    const int _fd;
};

}  // namespace arhttp

#endif
