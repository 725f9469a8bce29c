// A log sink that counts the warnings it passes on: a caller that must tell
// a failure from an answer ("" is both a failed server and an unknown asset)
// asks how many warnings its own engine gave.
#ifndef AR_HTTP_CORE_COUNTING_LOG_SINK_H
#define AR_HTTP_CORE_COUNTING_LOG_SINK_H

#include "core/log/LogSink.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

namespace arhttp {

class CountingLogSink : public LogSink {
public:
    explicit CountingLogSink(std::shared_ptr<LogSink> inner) : _inner(std::move(inner)) {}

    void Debug(const std::string& line) override { _inner->Debug(line); }
    void Warn(WarningCode code, const std::string& message) override {
        _warnings.fetch_add(1, std::memory_order_relaxed);
        _inner->Warn(code, message);
    }
    uint64_t Warnings() const { return _warnings.load(std::memory_order_relaxed); }

private:
    const std::shared_ptr<LogSink> _inner;
    std::atomic<uint64_t> _warnings{0};
};

}  // namespace arhttp

#endif
