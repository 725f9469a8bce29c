#include "TfLogSink.h"

#include "ArHttpDebugCodes.h"

#include "pxr/base/tf/diagnostic.h"

PXR_NAMESPACE_OPEN_SCOPE

void ArHttpTfLogSink::Debug(const std::string& line) {
    TF_DEBUG(AR_HTTP).Msg("%s\n", line.c_str());
}

void ArHttpTfLogSink::Warn(const std::string& message) {
    TF_WARN("ArHttpResolver: %s", message.c_str());
}

PXR_NAMESPACE_CLOSE_SCOPE
