// The content cache: the local files of content URLs, in one folder shared by
// every process of the machine (AR_HTTP_CONTENT_CACHE_DIR). Per URL, named by
// a 64-bit hash of the URL: <key>.data (the bytes, handed out as they are),
// <key>.meta (a ContentEntry), <key>.lock (held by whoever downloads it), and
// while a download runs <key>.download and <key>.meta-new. Files only ever
// appear whole (the data synced, then renamed), and go by unlink, so a file
// another process has open stays readable.
#ifndef AR_HTTP_CORE_CONTENT_CACHE_H
#define AR_HTTP_CORE_CONTENT_CACHE_H

#include "core/content/ContentEntry.h"
#include "core/content/ContentFile.h"
#include "core/content/ContentSource.h"
#include "core/content/FileLock.h"
#include "core/log/LogSink.h"
#include "core/settings/Config.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace arhttp {

class ContentCache {
public:
    // `source` is made when content is first downloaded.
    ContentCache(const Config& config, std::shared_ptr<LogSink> log, ContentSourceFactory source);

    // The local file of `url`: the cached one while it is fresh (validated
    // less than AR_HTTP_CACHE_TTL_MS ago, or immutable), else revalidated
    // with If-None-Match, else downloaded. One download per URL at a time:
    // threads of this process share it, other processes wait on its lock.
    // Failures are warned about once, naming the URL, and leave the path empty.
    ContentFile Fetch(const std::string& url) const noexcept;
    // Fetches `url` for a Fetch to come soon (a layer's dependencies while
    // the layer is read): its result stands for that Fetch's for a few
    // seconds, rather than being checked with the server twice.
    void FetchAhead(const std::string& url) const noexcept;
    // What the folder holds of `url` now (or what FetchAhead had of it a
    // moment ago), with no request and no wait.
    std::optional<ContentFile> Recall(const std::string& url) const noexcept;
    // Ends the downloads under way at once (ContentSource::Stop) and loads
    // no source from now on: for the process's exit.
    void StopDownloads() const noexcept;

private:
    struct Paths {
        std::string data, meta, lock, download, metaNew;
    };
    // A download under way in this process, which other threads wait for.
    struct Flight {
        bool done = false;
        ContentFile file;
    };

    Paths PathsOf(const std::string& url) const;
    // The entry of `url` if its metadata and data agree; with `touch`, marked used (for eviction).
    std::optional<ContentEntry> ReadEntry(const Paths& paths, const std::string& url, bool touch) const;
    ContentFile FileOf(const Paths& paths, const ContentEntry& entry) const;
    // What FetchAhead had of `url` less than kAheadLifetime ago; `take`
    // removes it (fresh or not). Under _flightsMutex.
    std::optional<ContentFile> FetchedAheadLocked(const std::string& url, bool take) const;
    // Fetch's work, once in-process sharing settled who does it.
    ContentFile Acquire(const std::string& url) const;
    // The lock of `url`, waited for while its holder makes progress (`waited`
    // then set); null (with `why`) otherwise.
    std::unique_ptr<FileLock> WaitForLock(const Paths& paths, std::string* why, bool* waited) const;
    // Revalidates `cached` or downloads anew, the lock held.
    ContentFile Download(const std::string& url, const Paths& paths, const std::optional<ContentEntry>& cached) const;
    // Writes `entry` to <key>.meta-new; false with `why`. Not synced: metadata
    // a crash tore lacks its end line and is no entry, while the data it
    // names is always synced before it is named.
    bool WriteEntry(const Paths& paths, const ContentEntry& entry, std::string* why) const;
    // Evicts the least recently used entries (never `keep`, nor one being
    // downloaded) until the folder is within AR_HTTP_CONTENT_CACHE_MAX_BYTES,
    // and removes what killed downloads left; after `added` bytes came.
    void Trim(const std::string& keep, std::uint64_t added) const;
    // Whether the folder exists (made now if need be); false with `why`.
    bool FolderReady(std::string* why) const;
    // Warns and says why `url` is unavailable.
    ContentFile Unavailable(const std::string& url, const std::string& why) const;
    std::shared_ptr<const ContentSource> Source() const;

    const std::string _folder;
    const std::uint64_t _maxBytes;
    const std::chrono::milliseconds _timeout;
    const std::chrono::milliseconds _timeToLive;
    const std::shared_ptr<LogSink> _log;
    const Config _sourceConfig;
    const ContentSourceFactory _makeSource;
    mutable std::once_flag _sourceMade;
    mutable std::shared_ptr<const ContentSource> _source;
    mutable std::atomic<bool> _folderMade{false};

    mutable std::mutex _flightsMutex;
    mutable std::condition_variable _landed;
    mutable std::unordered_map<std::string, std::shared_ptr<Flight>> _flights;
    // FetchAhead's results not yet taken, and when each came.
    mutable std::unordered_map<std::string, std::pair<ContentFile, std::chrono::steady_clock::time_point>> _ahead;

    // What the folder held at the last scan, plus what came since.
    mutable std::mutex _trimMutex;
    mutable std::uint64_t _knownBytes = 0;
    mutable unsigned _downloadsSinceScan = 0;
    mutable bool _scanned = false;
};

}  // namespace arhttp

#endif
