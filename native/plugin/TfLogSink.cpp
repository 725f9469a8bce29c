#include "TfLogSink.h"

#include "ArHttpDebugCodes.h"

#include "pxr/base/tf/diagnostic.h"

PXR_NAMESPACE_USING_DIRECTIVE

namespace arhttp {

void ArHttpTfLogSink::Debug(const std::string& line) {
    TF_DEBUG(AR_HTTP).Msg("%s\n", line.c_str());
}

void ArHttpTfLogSink::Warn(const std::string& message) {
    TF_WARN("ArHttpResolver: %s", message.c_str());
}

}  // namespace arhttp
