// Opens a stage whose prim references an asset by id, and prints the value
// its referenced layer gives; once ArHttpResolver sends
// ArNotice::ResolverChanged (AR_HTTP_WATCH=1, after the id was remapped), the
// value again. Lines: "before <value>", then "notice", then "after <value>".
#include "pxr/base/tf/notice.h"
#include "pxr/base/tf/weakBase.h"
#include "pxr/usd/ar/notice.h"
#include "pxr/usd/usd/attribute.h"
#include "pxr/usd/usd/stage.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

PXR_NAMESPACE_USING_DIRECTIVE

namespace {

std::atomic<int> gNotices{0};

struct Listener : TfWeakBase {
    void Heard(const ArNotice::ResolverChanged& notice) {
        if (notice.AffectsContext(ArResolverContext())) ++gNotices;
    }
};

std::string Value(const UsdStageRefPtr& stage) {
    std::string value = "(none)";
    stage->GetAttributeAtPath(SdfPath("/Chair.version")).Get(&value);
    return value;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    Listener listener;
    TfNotice::Register(TfCreateWeakPtr(&listener), &Listener::Heard);
    const UsdStageRefPtr stage = UsdStage::Open(argv[1]);
    if (!stage) return 1;
    std::printf("before %s\n", Value(stage).c_str());
    std::fflush(stdout);
    for (int i = 0; i < 1000 && gNotices == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (gNotices == 0) return 3;
    std::printf("notice\n");
    // The stage handles the same notice on the same thread, after or before this listener.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::printf("after %s\n", Value(stage).c_str());
    return 0;
}
