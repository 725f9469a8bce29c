// Routes the core's output through USD's own channels: debug lines through
// TfDebug (TF_DEBUG=AR_HTTP), warnings through TfWarn.
#ifndef AR_HTTP_PLUGIN_TF_LOG_SINK_H
#define AR_HTTP_PLUGIN_TF_LOG_SINK_H

#include "core/LogSink.h"

#include <cstdint>

namespace arhttp {

class ArHttpTfLogSink : public LogSink {
public:
    void Debug(const std::string& line) override;
    void Warn(const std::string& message) override;
    // Warnings given so far by every engine of the process (for the Node
    // binding's warningCount()).
    static uint64_t WarningCount();
};

}  // namespace arhttp

#endif
