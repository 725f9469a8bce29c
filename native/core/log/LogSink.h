// Where the core's debug lines and warnings go: stderr by default; the USD
// plugin routes them through TfDebug and TfWarn, the Node bindings warnings
// to process.emitWarning with their code.
#ifndef AR_HTTP_CORE_LOG_SINK_H
#define AR_HTTP_CORE_LOG_SINK_H

#include "core/log/WarningCode.h"

#include <string>

namespace arhttp {

class LogSink {
public:
    virtual ~LogSink() = default;
    // Called from any thread; each call is one whole line without newline.
    virtual void Debug(const std::string& line) = 0;
    virtual void Warn(WarningCode code, const std::string& message) = 0;
};

class StderrLogSink : public LogSink {
public:
    void Debug(const std::string& line) override;
    // The line as ever, without the code: usdcat's and the CLI's users read it.
    void Warn(WarningCode code, const std::string& message) override;
};

}  // namespace arhttp

#endif
