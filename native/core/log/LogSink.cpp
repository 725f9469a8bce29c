#include "core/log/LogSink.h"

#include <cstdio>

namespace arhttp {

// One fprintf per line: stdio locks the stream, so lines from threads never interleave.
void StderrLogSink::Debug(const std::string& line) {
    std::fprintf(stderr, "%s\n", line.c_str());
}

void StderrLogSink::Warn(WarningCode, const std::string& message) {
    std::fprintf(stderr, "ar-http warning: %s\n", message.c_str());
}

}  // namespace arhttp
