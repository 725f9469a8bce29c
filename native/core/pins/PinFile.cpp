#include "core/pins/PinFile.h"

#include "core/text/JsonReader.h"
#include "core/text/PrintableText.h"
#include "core/text/ResponseBody.h"

#include <algorithm>
#include <cerrno>
#include <map>
#include <mutex>
#include <unordered_set>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace arhttp {

namespace {

// The whole file, or nothing and `problem`.
std::optional<std::string> ReadWhole(const std::string& path, std::string* problem) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *problem = "cannot be read";
        return std::nullopt;
    }
    std::optional<std::string> bytes;
    struct stat status;
    if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
        *problem = "is not a regular file";
    } else if (static_cast<std::uint64_t>(status.st_size) > PinFile::kMaxFileBytes) {
        *problem = "is larger than " + std::to_string(PinFile::kMaxFileBytes >> 20) + " MiB";
    } else {
        bytes.emplace();
        bytes->resize(static_cast<size_t>(status.st_size));
        size_t done = 0;
        while (done < bytes->size()) {
            const ssize_t got = read(fd, bytes->data() + done, bytes->size() - done);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) break;
            done += static_cast<size_t>(got);
        }
        // A file that shrank while read is cut; one that grew is read as it was.
        if (done != bytes->size()) {
            *problem = "cannot be read whole";
            bytes.reset();
        }
    }
    close(fd);
    return bytes;
}

}  // namespace

std::shared_ptr<const PinFile> PinFile::Load(const std::string& path) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const PinFile>> loaded;
    std::lock_guard<std::mutex> lock(mutex);
    auto& pins = loaded[path];
    if (pins) return pins;
    try {
        std::string problem;
        const auto bytes = ReadWhole(path, &problem);
        if (bytes) {
            pins = Parse(*bytes, path);
        } else {
            auto refused = std::shared_ptr<PinFile>(new PinFile(path));
            refused->_problem = problem;
            pins = refused;
        }
    } catch (...) {
        loaded.erase(path);
        throw;
    }
    return pins;
}

std::shared_ptr<const PinFile> PinFile::Parse(std::string_view text, const std::string& path) {
    auto pins = std::shared_ptr<PinFile>(new PinFile(path));
    try {
        pins->_problem = text.size() > kMaxFileBytes
            ? "is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB"
            : pins->Read(text);
    } catch (...) {
        pins->_problem = "is too large to hold in memory";
    }
    if (!pins->_problem.empty()) {
        pins->_entries = {};
        pins->_text = {};
    }
    return pins;
}

std::string_view PinFile::Key(size_t entry) const {
    return std::string_view(_text).substr(_entries[entry].key, _entries[entry].keyLength);
}

std::optional<std::string_view> PinFile::Find(std::string_view identifier) const {
    const auto found = std::lower_bound(_entries.begin(), _entries.end(), identifier,
                                        [&](const Entry& entry, std::string_view key) {
                                            return std::string_view(_text).substr(entry.key, entry.keyLength) < key;
                                        });
    if (found == _entries.end() || Key(found - _entries.begin()) != identifier) return std::nullopt;
    return std::string_view(_text).substr(found->value, found->valueLength);
}

bool PinFile::ReadPins(JsonReader& reader) {
    if (!reader.Expect('{', "the object of \"pins\"")) return false;
    if (reader.Take('}')) return true;
    do {
        Entry entry{};
        entry.key = static_cast<std::uint32_t>(_text.size());
        if (!reader.ReadString(&_text, kMaxKeyBytes, "a key of \"pins\"")) return false;
        entry.keyLength = static_cast<std::uint32_t>(_text.size() - entry.key);
        if (entry.keyLength == 0) return reader.Fail("an empty key in \"pins\"");
        if (!reader.Expect(':', "':'")) return false;
        entry.value = static_cast<std::uint32_t>(_text.size());
        if (!reader.TakeNull()) {
            if (reader.Failed()) return false;
            if (reader.Peek() != '"') return reader.Fail("a value in \"pins\" that is neither a string nor null");
            if (!reader.ReadString(&_text, SIZE_MAX, "a resolved path")) return false;
            entry.valueLength = static_cast<std::uint32_t>(_text.size() - entry.value);
            const std::string_view value = std::string_view(_text).substr(entry.value, entry.valueLength);
            if (const auto problem = ResolvedPathProblem(value)) {
                return reader.Fail("the resolved path of " +
                                   Quoted(_text.substr(entry.key, entry.keyLength)) + " " + *problem);
            }
        }
        _entries.push_back(entry);
    } while (reader.Take(','));
    return reader.Expect('}', "',' or '}' in \"pins\"");
}

std::string PinFile::Read(std::string_view text) {
    JsonReader reader(text);
    // Decoded text is never longer than the file: offsets fit 32 bits, and
    // one reservation holds it all.
    _text.reserve(text.size());
    bool sawFormat = false, sawVersion = false, sawPins = false;
    std::unordered_set<std::string> seen;
    if (!reader.Expect('{', "a JSON object")) return "is not JSON: " + reader.Error();
    if (!reader.Take('}')) {
        do {
            std::string key;
            if (!reader.ReadString(&key, kMaxKeyBytes, "a key") || !reader.Expect(':', "':'")) break;
            if (!seen.insert(key).second) {
                reader.Fail("the key " + Quoted(key) + " twice");
                break;
            }
            if (key == "format") {
                std::string format;
                if (!reader.ReadString(&format, 64, "\"format\"")) break;
                if (format != kFormat) {
                    return "is not a pin file: its \"format\" is " + Quoted(format) + ", not \"" + kFormat + "\"";
                }
                sawFormat = true;
            } else if (key == "version") {
                std::string_view number;
                if (reader.Peek() != '-' && (reader.Peek() < '0' || reader.Peek() > '9')) {
                    reader.Fail("\"version\" that is not a number");
                    break;
                }
                if (!reader.ReadNumber(&number)) break;
                if (number != "1") {
                    return "has format version " + std::string(number.substr(0, 40)) +
                           ", which this ar-http does not read (it reads version 1)";
                }
                sawVersion = true;
            } else if (key == "server" || key == "created" || (key == "snapshot" && !reader.TakeNull())) {
                std::string& field = key == "server" ? _server : key == "created" ? _created : _snapshot;
                if (!reader.ReadString(&field, 16384, ("\"" + key + "\"").c_str())) break;
            } else if (key == "pins") {
                if (!ReadPins(reader)) break;
                sawPins = true;
            } else if (key != "snapshot" && !reader.SkipValue()) {
                break;
            }
        } while (reader.Take(','));
        if (!reader.Failed()) reader.Expect('}', "',' or '}'");
    }
    if (!reader.Failed() && !reader.AtEnd()) reader.Fail("more after the object");
    if (reader.Failed()) return "is refused: " + reader.Error();
    if (!sawFormat) return "is not a pin file: it has no \"format\": \"" + std::string(kFormat) + "\"";
    if (!sawVersion) return "has no \"version\"";
    if (!sawPins) return "has no \"pins\"";

    // Written sorted, so this is one pass; sorted here when a hand made it otherwise.
    const auto before = [&](const Entry& a, const Entry& b) {
        return std::string_view(_text).substr(a.key, a.keyLength) < std::string_view(_text).substr(b.key, b.keyLength);
    };
    if (!std::is_sorted(_entries.begin(), _entries.end(), before)) {
        std::sort(_entries.begin(), _entries.end(), before);
    }
    for (size_t i = 1; i < _entries.size(); ++i) {
        if (Key(i) == Key(i - 1)) return "is refused: the key " + Quoted(std::string(Key(i))) + " is in \"pins\" twice";
    }
    return std::string();
}

}  // namespace arhttp
