#include "core/content/FileLock.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace arhttp {

std::unique_ptr<FileLock> FileLock::TryLock(const std::string& path, std::string* error) {
    // A few rounds at most: each is lost only to a holder removing the file meanwhile.
    for (int round = 0; round < 8; ++round) {
        const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            *error = std::strerror(errno);
            return nullptr;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int failure = errno;
            close(fd);
            if (failure != EWOULDBLOCK && failure != EINTR) *error = std::strerror(failure);
            return nullptr;
        }
        struct stat held {}, named {};
        if (fstat(fd, &held) == 0 && stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
            held.st_dev == named.st_dev) {
            return std::unique_ptr<FileLock>(new FileLock(path, fd));
        }
        close(fd);
    }
    return nullptr;
}

void FileLock::Remove() { unlink(_path.c_str()); }

FileLock::~FileLock() {
    // Closing the last descriptor of the open file releases the lock.
    close(_fd);
}

}  // namespace arhttp
