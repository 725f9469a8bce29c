// The transport's own cost per request (issue 22 item 8), without USD or
// Node: HttpResolver::Lookup of `count` distinct asset paths asset/<first>...
// against AR_HTTP_SERVER_URL, one at a time, each a keep-alive GET; prints
// the CPU (user + system) per lookup. Built and run as bench/RESULTS.md
// says, under callgrind (instructions) and strace -c (system calls) too.
#include "core/log/LogSink.h"
#include "core/settings/Config.h"
#include "core/transport/HttpResolver.h"

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

double CpuMicroseconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

}  // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 2000;
    const int first = argc > 2 ? std::atoi(argv[2]) : 0;
    const arhttp::HttpResolver resolver(arhttp::Config::FromEnvironment(arhttp::ProcessEnvironment()),
                                        std::make_shared<arhttp::StderrLogSink>());
    // The connection made and the library warm before counting.
    resolver.Lookup("asset/warm-up");
    const double start = CpuMicroseconds();
    int resolved = 0;
    for (int i = 0; i < count; ++i) resolved += !resolver.Lookup("asset/" + std::to_string(first + i)).resolvedPath.empty();
    std::printf("%d lookups, %d resolved, %.1f us of CPU each\n", count, resolved, (CpuMicroseconds() - start) / count);
    return 0;
}
