#include "Engine.h"

#include <mutex>

namespace arhttp::addon {

namespace {

std::mutex gMutex;
std::shared_ptr<const ResolutionEngine> gEngine;

}  // namespace

std::shared_ptr<const ResolutionEngine> CurrentEngine() {
    std::lock_guard<std::mutex> lock(gMutex);
    if (!gEngine) {
        gEngine = std::make_shared<const ResolutionEngine>(
            Config::FromEnvironment(ProcessEnvironment()), std::make_shared<StderrLogSink>());
    }
    return gEngine;
}

std::shared_ptr<const ResolutionEngine> ReloadEngine(const Environment& environment) {
    auto engine = std::make_shared<const ResolutionEngine>(
        Config::FromEnvironment(environment), std::make_shared<StderrLogSink>());
    std::lock_guard<std::mutex> lock(gMutex);
    gEngine = engine;
    return engine;
}

}  // namespace arhttp::addon
