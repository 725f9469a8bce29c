#include "ExitStop.h"

#include "Backend.h"

#include <mutex>

namespace arhttp::addon {

namespace {

std::mutex gMutex;
// Each loading of the addon in an environment not yet cleaned up (a test
// runner may load it more than once in one).
int gUsers = 0;

}  // namespace

void StopAtCleanup(Napi::Env env) {
    {
        std::lock_guard<std::mutex> lock(gMutex);
        ++gUsers;
    }
    env.AddCleanupHook([] {
        bool last = false;
        {
            std::lock_guard<std::mutex> lock(gMutex);
            last = --gUsers == 0;
        }
        // A worker that ends while others resolve stops nothing of theirs.
        if (last) StopBackgroundWork();
    });
}

}  // namespace arhttp::addon
