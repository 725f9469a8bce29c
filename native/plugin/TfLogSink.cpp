#include "TfLogSink.h"

#include "ArHttpDebugCodes.h"

#include "pxr/base/tf/diagnostic.h"

#include <mutex>

PXR_NAMESPACE_USING_DIRECTIVE

namespace arhttp {

namespace {

std::mutex gMutex;
ArHttpTfLogSink::Listener gListener;

}  // namespace

void ArHttpTfLogSink::SetListener(Listener listener) {
    std::lock_guard<std::mutex> lock(gMutex);
    gListener = std::move(listener);
}

bool ArHttpTfLogSink::HasListener() {
    std::lock_guard<std::mutex> lock(gMutex);
    return static_cast<bool>(gListener);
}

void ArHttpTfLogSink::Debug(const std::string& line) {
    TF_DEBUG(AR_HTTP).Msg("%s\n", line.c_str());
}

void ArHttpTfLogSink::Warn(WarningCode code, const std::string& message) {
    Listener listener;
    {
        std::lock_guard<std::mutex> lock(gMutex);
        listener = gListener;
    }
    if (listener && listener(code, message)) return;
    TF_WARN("ArHttpResolver: %s", message.c_str());
}

}  // namespace arhttp
