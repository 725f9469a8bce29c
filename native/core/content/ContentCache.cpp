#include "core/content/ContentCache.h"

#include "core/layers/LayerScanner.h"
#include "core/text/PrintableText.h"
#include "core/text/UrlReference.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <thread>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace arhttp {

namespace {

using Clock = std::chrono::steady_clock;

// Longer URLs are refused: no server needs them, and they name no file.
constexpr size_t kMaxUrlBytes = 8192;
// An entry is marked used at most this often, to spare a write per use.
constexpr std::int64_t kTouchEveryMs = 60 * 1000;
// The folder is scanned again after this many downloads of this process,
// as others add to it too.
constexpr unsigned kDownloadsPerScan = 64;
constexpr size_t kKeyLength = 16;
// Downloaded bytes are written to disk this many at a time.
constexpr size_t kWriteBytes = 256 * 1024;
// How long a result fetched ahead stands for the fetch it was made for.
constexpr auto kAheadLifetime = std::chrono::seconds(10);

std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t MtimeMs(const struct stat& status) {
    return static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1000 + status.st_mtim.tv_nsec / 1000000;
}

// FNV-1a, 64 bits: the name of a URL's files and a stable number for an
// ETag. Not for security: a URL whose name another shares finds that its
// metadata names the other URL, and downloads its own in their place.
std::uint64_t Fnv1a(const std::string& text) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
    return hash;
}

// Whether `url` may name a cached file: an http(s) URL of printable characters.
bool IsCacheableUrl(const std::string& url) {
    if (url.size() > kMaxUrlBytes || !IsContentUrl(url)) return false;
    for (unsigned char c : url) {
        if (c <= 0x20 || c == 0x7F) return false;
    }
    return true;
}

// The last segment of the URL's path: what tells the format expected.
std::string FileNameOf(const std::string& url) {
    const std::string path = url.substr(0, url.find_first_of("?#"));
    return path.substr(path.rfind('/') + 1);
}

// The sha-256 value a Repr-Digest (`sha-256=:<b64>:`, RFC 9530) or Digest
// (`SHA-256=<b64>`, RFC 3230) header states, if it states one.
std::optional<std::string> StatedSha256(const std::string& header, bool structured) {
    for (size_t start = 0; start <= header.size();) {
        size_t end = header.find(',', start);
        if (end == std::string::npos) end = header.size();
        std::string item = header.substr(start, end - start);
        start = end + 1;
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        const size_t equals = item.find('=');
        if (equals == std::string::npos) continue;
        std::string name = item.substr(0, equals);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name != "sha-256") continue;
        std::string value = item.substr(equals + 1);
        if (structured) {
            if (value.size() < 2 || value.front() != ':' || value.back() != ':') return std::string("?");
            value = value.substr(1, value.size() - 2);
        }
        return value;
    }
    return std::nullopt;
}

// Last-Modified as seconds since the epoch, when it is an HTTP date (IMF-fixdate).
std::optional<double> HttpDateSeconds(const std::string& text) {
    struct tm parts {};
    const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
    if (!end || *end != '\0') return std::nullopt;
    const time_t seconds = timegm(&parts);
    if (seconds == static_cast<time_t>(-1)) return std::nullopt;
    return static_cast<double>(seconds);
}

// Why `folder` took no file: full (a quota, a file-size limit) or otherwise.
std::string FolderProblem(const std::string& folder, int error) {
    const bool full = error == ENOSPC || error == EFBIG || error == EDQUOT;
    return "the content cache folder " + Quoted(folder) + (full ? " is full (" : " cannot be written (") +
           std::strerror(error) + ")";
}

bool WriteAll(int fd, const char* data, size_t size, int* error) {
    while (size > 0) {
        const ssize_t wrote = write(fd, data, size);
        if (wrote < 0) {
            if (errno == EINTR) continue;
            *error = errno;
            return false;
        }
        data += wrote;
        size -= static_cast<size_t>(wrote);
    }
    return true;
}

// Makes `folder` and its parents.
bool MakeFolders(const std::string& folder, int* error) {
    for (size_t slash = 1;; ++slash) {
        slash = folder.find('/', slash);
        const std::string part = folder.substr(0, slash);
        if (!part.empty() && mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) {
            *error = errno;
            return false;
        }
        if (slash == std::string::npos) return true;
    }
}

}  // namespace

ContentCache::ContentCache(const Config& config, std::shared_ptr<LogSink> log, ContentSourceFactory source)
    : _folder(config.contentCacheDir),
      _maxBytes(config.contentCacheMaxBytes),
      _timeout(config.timeout),
      _timeToLive(config.cacheTimeToLive),
      _log(std::move(log)),
      _sourceConfig(config),
      _makeSource(std::move(source)) {}

std::shared_ptr<const ContentSource> ContentCache::Source() const {
    std::call_once(_sourceMade, [this] {
        if (_makeSource) _source = _makeSource(_sourceConfig, _log);
    });
    return _source;
}

void ContentCache::StopDownloads() const noexcept {
    // Marks the source made if it was not: none is loaded for the exit.
    std::call_once(_sourceMade, [] {});
    if (_source) _source->Stop();
}

ContentCache::Paths ContentCache::PathsOf(const std::string& url) const {
    char key[kKeyLength + 1];
    std::snprintf(key, sizeof(key), "%016llx", static_cast<unsigned long long>(Fnv1a(url)));
    const std::string base = _folder + "/" + key;
    return Paths{base + ".data", base + ".meta", base + ".lock", base + ".download", base + ".meta-new"};
}

ContentFile ContentCache::Unavailable(const std::string& url, const std::string& why) const {
    _log->Warn(WarningCode::ContentFailed, "the content " + Printable(url, 1024) + " is unavailable: " + why);
    ContentFile file;
    file.why = why;
    return file;
}

bool ContentCache::FolderReady(std::string* why) const {
    if (_folderMade.load()) return true;
    if (_folder.empty()) {
        *why = "no content cache folder (set AR_HTTP_CONTENT_CACHE_DIR, or HOME)";
        return false;
    }
    int error = 0;
    if (!MakeFolders(_folder, &error)) {
        *why = "the content cache folder " + Quoted(_folder) + " cannot be made (" + std::strerror(error) + ")";
        return false;
    }
    _folderMade.store(true);
    return true;
}

std::optional<ContentEntry> ContentCache::ReadEntry(const Paths& paths, const std::string& url, bool touch) const {
    const int fd = open(paths.meta.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat metaStatus {};
    std::string text;
    ssize_t got = -1;
    if (fstat(fd, &metaStatus) == 0 && metaStatus.st_size > 0) {
        // Sized by the record (a few hundred bytes), not by the most read: this runs per layer opened.
        text.resize(std::min<size_t>(static_cast<size_t>(metaStatus.st_size), 16 * 1024));
        got = read(fd, &text[0], text.size());
    }
    close(fd);
    if (got <= 0) return std::nullopt;
    text.resize(static_cast<size_t>(got));
    auto entry = ContentEntry::Parse(text);
    struct stat dataStatus {};
    if (!entry || entry->url != url || stat(paths.data.c_str(), &dataStatus) != 0 ||
        static_cast<std::uint64_t>(dataStatus.st_ino) != entry->inode ||
        static_cast<std::uint64_t>(dataStatus.st_size) != entry->size) {
        return std::nullopt;
    }
    const std::int64_t now = NowMs();
    if (touch && now - MtimeMs(metaStatus) > kTouchEveryMs) utimensat(AT_FDCWD, paths.meta.c_str(), nullptr, 0);
    return entry;
}

ContentFile ContentCache::FileOf(const Paths& paths, const ContentEntry& entry) const {
    ContentFile file;
    file.localPath = paths.data;
    file.etag = entry.etag;
    file.lastModified = entry.lastModified;
    file.size = entry.size;
    if (const auto seconds = HttpDateSeconds(entry.lastModified)) {
        file.timestamp = *seconds;
    } else if (!entry.etag.empty()) {
        // 48 bits of the tag's hash: the same tag, the same time, in every process.
        file.timestamp = static_cast<double>(Fnv1a(entry.etag) >> 16);
    } else {
        struct stat status {};
        if (stat(paths.data.c_str(), &status) == 0) file.timestamp = static_cast<double>(MtimeMs(status)) / 1000;
    }
    return file;
}

std::optional<ContentFile> ContentCache::Recall(const std::string& url) const noexcept {
    try {
        if (_folder.empty() || !IsCacheableUrl(url)) return std::nullopt;
        {
            // Fetched ahead a moment ago (a layer's asset info is asked before
            // it is opened): that stands for the folder's record.
            std::lock_guard<std::mutex> lock(_flightsMutex);
            if (std::optional<ContentFile> ahead = FetchedAheadLocked(url, false)) return ahead;
        }
        const Paths paths = PathsOf(url);
        if (const auto entry = ReadEntry(paths, url, false)) return FileOf(paths, *entry);
    } catch (...) {
        // Only allocation can throw: nothing recalled.
    }
    return std::nullopt;
}

std::optional<ContentFile> ContentCache::FetchedAheadLocked(const std::string& url, bool take) const {
    const auto ahead = _ahead.find(url);
    if (ahead == _ahead.end()) return std::nullopt;
    std::optional<ContentFile> file;
    if (Clock::now() - ahead->second.second <= kAheadLifetime) file = ahead->second.first;
    if (take) _ahead.erase(ahead);
    return file;
}

void ContentCache::FetchAhead(const std::string& url) const noexcept {
    try {
        ContentFile file = Fetch(url);
        if (file.localPath.empty()) return;
        std::lock_guard<std::mutex> lock(_flightsMutex);
        const auto now = Clock::now();
        // Results no Fetch came for go, so that the map stays small.
        for (auto at = _ahead.begin(); at != _ahead.end();) {
            at = now - at->second.second > kAheadLifetime ? _ahead.erase(at) : std::next(at);
        }
        _ahead[url] = {std::move(file), now};
    } catch (...) {
        // Only allocation can throw: the Fetch to come does the work.
    }
}

ContentFile ContentCache::Fetch(const std::string& url) const noexcept {
    try {
        if (!IsCacheableUrl(url)) return Unavailable(url, "it is not an http(s) URL of printable characters");
        std::shared_ptr<Flight> flight;
        bool mine = false;
        {
            std::unique_lock<std::mutex> lock(_flightsMutex);
            if (std::optional<ContentFile> ahead = FetchedAheadLocked(url, true)) {
                if (access(ahead->localPath.c_str(), R_OK) == 0) return std::move(*ahead);
            }
            std::shared_ptr<Flight>& slot = _flights[url];
            if (!slot) {
                slot = std::make_shared<Flight>();
                mine = true;
            }
            flight = slot;
            if (!mine) {
                // The thread fetching it is bounded by its own deadline.
                _landed.wait(lock, [&] { return flight->done; });
                return flight->file;
            }
        }
        ContentFile file;
        try {
            file = Acquire(url);
        } catch (...) {
            file = Unavailable(url, "out of memory");
        }
        {
            std::lock_guard<std::mutex> lock(_flightsMutex);
            flight->file = file;
            flight->done = true;
            _flights.erase(url);
        }
        _landed.notify_all();
        return file;
    } catch (...) {
        // Only allocation can throw here.
        ContentFile file;
        file.why = "out of memory";
        return file;
    }
}

ContentFile ContentCache::Acquire(const std::string& url) const {
    std::string why;
    if (!FolderReady(&why)) return Unavailable(url, why);
    const Paths paths = PathsOf(url);
    const std::int64_t started = NowMs();
    const auto fresh = [&](const ContentEntry& entry) {
        return entry.immutable || started - entry.validatedAtMs < _timeToLive.count();
    };
    if (const auto entry = ReadEntry(paths, url, true); entry && fresh(*entry)) return FileOf(paths, *entry);
    bool waited = false;
    const std::unique_ptr<FileLock> lock = WaitForLock(paths, &why, &waited);
    if (!lock) return Unavailable(url, why);
    const auto cached = ReadEntry(paths, url, false);
    // Validated by the holder this one waited for: as fresh as a check now.
    if (cached && (fresh(*cached) || (waited && cached->validatedAtMs >= started))) return FileOf(paths, *cached);
    // Only the lock's holder writes these: any found now are a killed process's.
    unlink(paths.download.c_str());
    unlink(paths.metaNew.c_str());
    ContentFile file = Download(url, paths, cached);
    // A URL that never came leaves no lock file behind.
    if (file.localPath.empty() && !cached) lock->Remove();
    return file;
}

std::unique_ptr<FileLock> ContentCache::WaitForLock(const Paths& paths, std::string* why, bool* waited) const {
    // The holder's download is bounded by its deadline; one that stops
    // growing its file for this long (a stopped or hung process) is given up on.
    const auto patience = 2 * _timeout + std::chrono::seconds(1);
    auto pause = std::chrono::milliseconds(2);
    off_t lastSize = -1;
    Clock::time_point lastProgress = Clock::now();
    for (;;) {
        std::string error;
        if (auto lock = FileLock::TryLock(paths.lock, &error)) return lock;
        if (!error.empty()) {
            *why = "its lock file " + Quoted(paths.lock) + " cannot be locked (" + error + ")";
            return nullptr;
        }
        struct stat status {};
        const off_t size = stat(paths.download.c_str(), &status) == 0 ? status.st_size : -1;
        if (size != lastSize) {
            lastSize = size;
            lastProgress = Clock::now();
        } else if (Clock::now() - lastProgress > patience) {
            *why = "another process has held its download for " +
                   std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(patience).count()) +
                   " ms without progress";
            return nullptr;
        }
        *waited = true;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(100));
    }
}

bool ContentCache::WriteEntry(const Paths& paths, const ContentEntry& entry, std::string* why) const {
    const std::string text = entry.Serialize();
    const int fd = open(paths.metaNew.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int error = fd < 0 ? errno : 0;
    if (fd >= 0) {
        WriteAll(fd, text.data(), text.size(), &error);
        if (close(fd) != 0 && error == 0) error = errno;
    }
    if (error == 0) return true;
    unlink(paths.metaNew.c_str());
    *why = FolderProblem(_folder, error);
    return false;
}

ContentFile ContentCache::Download(const std::string& url, const Paths& paths,
                                   const std::optional<ContentEntry>& cached) const {
    const std::shared_ptr<const ContentSource> source = Source();
    if (!source) return Unavailable(url, "no HTTP transport is loaded");
    const int fd = open(paths.download.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return Unavailable(url, FolderProblem(_folder, errno));
    const std::string fileName = FileNameOf(url);
    std::uint64_t written = 0;
    std::string pending;
    pending.reserve(kWriteBytes);
    std::string head;
    int writeError = 0;
    bool misfit = false;
    const ContentSource::Answer answer =
        source->Get(url, cached ? cached->etag : std::string(), [&](const char* data, size_t size) {
            if (head.size() < kLayerMagicBytes) {
                head.append(data, std::min(size, kLayerMagicBytes - head.size()));
                // Told from the first bytes: an HTML error page is not downloaded whole.
                if (head.size() == kLayerMagicBytes && !FitsLayerName(fileName, head.data(), head.size())) {
                    misfit = true;
                    return false;
                }
            }
            // Gathered: the transport hands over a few KiB at a time, a system call each would cost.
            pending.append(data, size);
            written += size;
            if (pending.size() < kWriteBytes) return true;
            const bool wrote = WriteAll(fd, pending.data(), pending.size(), &writeError);
            pending.clear();
            return wrote;
        });
    std::optional<ContentEntry> made;
    struct stat status {};
    std::string why;
    const auto finish = [&]() {
        if (answer.status == 200 && !writeError && !misfit) {
            misfit = !FitsLayerName(fileName, head.data(), head.size());
            // The last bytes gathered.
            if (!misfit) WriteAll(fd, pending.data(), pending.size(), &writeError);
        }
        if (misfit) {
            why = "its server sent something else than the " + Quoted(fileName) +
                  " its name says (an error page?); the answer is refused";
            return false;
        }
        if (writeError) {
            why = FolderProblem(_folder, writeError);
            return false;
        }
        if (answer.status != 200) {
            why = answer.status == 0 ? answer.why : "its server answered " + std::to_string(answer.status);
            return false;
        }
        const auto stated = !answer.reprDigest.empty() ? StatedSha256(answer.reprDigest, true)
                            : !answer.digest.empty()   ? StatedSha256(answer.digest, false)
                                                       : std::nullopt;
        if (stated && *stated != answer.sha256) {
            why = "its bytes do not match the SHA-256 digest its server states; the answer is refused";
            return false;
        }
        if (fsync(fd) != 0 || fstat(fd, &status) != 0) {
            writeError = errno;
            why = FolderProblem(_folder, writeError);
            return false;
        }
        made = ContentEntry{url,     answer.etag, answer.lastModified, answer.immutable, NowMs(), written,
                            answer.sha256, static_cast<std::uint64_t>(status.st_ino)};
        if (!WriteEntry(paths, *made, &why)) return false;
        // The data first: metadata naming another inode is never taken for it.
        if (rename(paths.download.c_str(), paths.data.c_str()) != 0 ||
            rename(paths.metaNew.c_str(), paths.meta.c_str()) != 0) {
            why = FolderProblem(_folder, errno);
            return false;
        }
        return true;
    };
    const bool downloaded = finish();
    close(fd);
    if (downloaded) {
        Trim(paths.data, written);
        return FileOf(paths, *made);
    }
    unlink(paths.download.c_str());
    unlink(paths.metaNew.c_str());
    if (answer.status == 304 && cached) {
        ContentEntry entry = *cached;
        entry.validatedAtMs = NowMs();
        std::string metaWhy;
        if (WriteEntry(paths, entry, &metaWhy) && rename(paths.metaNew.c_str(), paths.meta.c_str()) != 0) {
            unlink(paths.metaNew.c_str());
        }
        // Unrecorded, the check is only made again next time.
        return FileOf(paths, entry);
    }
    // Stopped by the source, not the sink: the process is ending (ContentSource::Stop), nobody to tell.
    if (answer.stopped && !misfit && !writeError) {
        ContentFile file;
        file.why = answer.why;
        return file;
    }
    // A server that cannot be reached does not take away what was had of it.
    if (cached && !misfit && !writeError && (answer.status == 0 || answer.status >= 500)) {
        _log->Warn(WarningCode::ContentFailed, "the content " + Printable(url, 1024) + " could not be revalidated (" +
                                                   why + "): its cached copy is used");
        return FileOf(paths, *cached);
    }
    return Unavailable(url, why);
}

void ContentCache::Trim(const std::string& keep, std::uint64_t added) const {
    std::lock_guard<std::mutex> guard(_trimMutex);
    _knownBytes += added;
    if (_scanned && _knownBytes <= _maxBytes && ++_downloadsSinceScan < kDownloadsPerScan) return;
    _scanned = true;
    _downloadsSinceScan = 0;
    DIR* folder = opendir(_folder.c_str());
    if (!folder) return;
    struct Entry {
        std::string key;
        std::uint64_t size;
        std::int64_t usedMs;
    };
    std::vector<Entry> entries;
    std::vector<std::string> leftovers;
    std::uint64_t total = 0;
    while (const dirent* item = readdir(folder)) {
        const std::string name = item->d_name;
        const size_t dot = name.find('.');
        if (dot != kKeyLength) continue;
        const std::string key = name.substr(0, dot);
        const std::string kind = name.substr(dot);
        if (kind == ".download" || kind == ".meta-new") {
            leftovers.push_back(key);
            continue;
        }
        if (kind != ".data") continue;
        const std::string base = _folder + "/" + key;
        struct stat data {}, meta {};
        if (stat((base + ".data").c_str(), &data) != 0) continue;
        const std::int64_t used = stat((base + ".meta").c_str(), &meta) == 0 ? MtimeMs(meta) : MtimeMs(data);
        entries.push_back({key, static_cast<std::uint64_t>(data.st_size), used});
        total += static_cast<std::uint64_t>(data.st_size);
    }
    closedir(folder);
    std::string error;
    // What a killed download left: its lock is free again.
    for (const std::string& key : leftovers) {
        const std::string base = _folder + "/" + key;
        if (const auto lock = FileLock::TryLock(base + ".lock", &error)) {
            unlink((base + ".download").c_str());
            unlink((base + ".meta-new").c_str());
        }
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.usedMs < b.usedMs; });
    for (const Entry& entry : entries) {
        if (total <= _maxBytes) break;
        const std::string base = _folder + "/" + entry.key;
        if (base + ".data" == keep) continue;
        const auto lock = FileLock::TryLock(base + ".lock", &error);
        if (!lock) continue;
        unlink((base + ".meta").c_str());
        unlink((base + ".data").c_str());
        lock->Remove();
        total -= entry.size;
    }
    _knownBytes = total;
}

}  // namespace arhttp
