// Routes the core's output through USD's own channels: debug lines through
// TfDebug (TF_DEBUG=AR_HTTP), warnings through TfWarn.
#ifndef AR_HTTP_PLUGIN_TF_LOG_SINK_H
#define AR_HTTP_PLUGIN_TF_LOG_SINK_H

#include "core/LogSink.h"

namespace arhttp {

class ArHttpTfLogSink : public LogSink {
public:
    void Debug(const std::string& line) override;
    void Warn(const std::string& message) override;
};

}  // namespace arhttp

#endif
