// Routes the core's output through USD's own channels: debug lines through
// TfDebug (TF_DEBUG=AR_HTTP), warnings through TfWarn.
#ifndef AR_HTTP_PLUGIN_TF_LOG_SINK_H
#define AR_HTTP_PLUGIN_TF_LOG_SINK_H

#include "core/LogSink.h"

#include "pxr/pxr.h"

PXR_NAMESPACE_OPEN_SCOPE

class ArHttpTfLogSink : public arhttp::LogSink {
public:
    void Debug(const std::string& line) override;
    void Warn(const std::string& message) override;
};

PXR_NAMESPACE_CLOSE_SCOPE

#endif
