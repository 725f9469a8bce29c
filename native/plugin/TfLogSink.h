// Routes the core's output through USD's own channels: debug lines through
// TfDebug (TF_DEBUG=AR_HTTP), warnings through TfWarn, unless the USD-linked
// Node binding takes them (ArHttpResolver::SetWarningListener).
#ifndef AR_HTTP_PLUGIN_TF_LOG_SINK_H
#define AR_HTTP_PLUGIN_TF_LOG_SINK_H

#include "core/log/LogSink.h"

#include <functional>

namespace arhttp {

class ArHttpTfLogSink : public LogSink {
public:
    // Takes a warning; false leaves it to TfWarn.
    using Listener = std::function<bool(WarningCode, const std::string&)>;
    static void SetListener(Listener listener);
    // Whether a listener takes the warnings.
    static bool HasListener();

    void Debug(const std::string& line) override;
    void Warn(WarningCode code, const std::string& message) override;
};

}  // namespace arhttp

#endif
