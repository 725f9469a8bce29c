#include "TfLogSink.h"

#include "ArHttpDebugCodes.h"

#include "pxr/base/tf/diagnostic.h"

#include <atomic>

PXR_NAMESPACE_USING_DIRECTIVE

namespace arhttp {

namespace {

std::atomic<uint64_t> gWarnings{0};

}  // namespace

void ArHttpTfLogSink::Debug(const std::string& line) {
    TF_DEBUG(AR_HTTP).Msg("%s\n", line.c_str());
}

void ArHttpTfLogSink::Warn(const std::string& message) {
    gWarnings.fetch_add(1, std::memory_order_relaxed);
    TF_WARN("ArHttpResolver: %s", message.c_str());
}

uint64_t ArHttpTfLogSink::WarningCount() {
    return gWarnings.load(std::memory_order_relaxed);
}

}  // namespace arhttp
