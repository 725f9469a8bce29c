// A pin file (written by `ar-http pin`): a stage's resolution frozen, asset
// path -> the server's raw answer, read once per file per process and shared.
// The format is stated in README.md ("Pin files"); anything else is refused
// whole, with one problem naming why.
#ifndef AR_HTTP_CORE_PIN_FILE_H
#define AR_HTTP_CORE_PIN_FILE_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arhttp {

class PinFile {
public:
    static constexpr const char* kFormat = "ar-http-pins";
    static constexpr size_t kMaxFileBytes = size_t(512) * 1024 * 1024;
    static constexpr size_t kMaxKeyBytes = 4096;

    // The pin file at `path`, read the first time it is asked for and then
    // shared for the life of the process (a farm's pins do not change under
    // a render). Never null: a refused file has Problem() set.
    static std::shared_ptr<const PinFile> Load(const std::string& path);
    // Reads `text` as a pin file; `path` is for messages. Never throws:
    // out of memory is a problem like any other.
    static std::shared_ptr<const PinFile> Parse(std::string_view text, const std::string& path);

    const std::string& Path() const { return _path; }
    // Why the file is refused; empty when it is not.
    const std::string& Problem() const { return _problem; }
    const std::string& Server() const { return _server; }
    // Empty when the pins were made of the latest answers.
    const std::string& Snapshot() const { return _snapshot; }
    const std::string& Created() const { return _created; }
    size_t Size() const { return _entries.size(); }

    // What the file says of `identifier`: nothing when it is not pinned; an
    // empty view when it was pinned unresolved; else the resolved path.
    std::optional<std::string_view> Find(std::string_view identifier) const;

private:
    explicit PinFile(std::string path) : _path(std::move(path)) {}
    // Reads `text` into this, or returns the problem.
    std::string Read(std::string_view text);
    // Reads the object of `pins`.
    bool ReadPins(class JsonReader& reader);
    std::string_view Key(size_t entry) const;

    // Keys and values decoded, end to end, in one block: a million pins cost
    // two allocations, not two million.
    struct Entry {
        std::uint32_t key;
        std::uint32_t keyLength;
        std::uint32_t value;
        std::uint32_t valueLength;  // 0: pinned unresolved
    };
    std::string _path;
    std::string _problem;
    std::string _server;
    std::string _snapshot;
    std::string _created;
    std::string _text;
    std::vector<Entry> _entries;  // sorted by key, bytewise
};

}  // namespace arhttp

#endif
