// Two stages in one process, each opened with its own ArHttpContext, composed
// at the same time on two threads: each must resolve through its own server.
// Run by test/72.usdContexts.test.ts with PXR_PLUGINPATH_NAME set.
//
//   contexts <root layer> <server A URL> <server B URL>
//
// Prints one line per stage: "<name> <what the referenced prim says>".
#include "plugin/ArHttpContext.h"

#include "pxr/usd/ar/resolver.h"
#include "pxr/usd/ar/resolverContext.h"
#include "pxr/usd/usd/attribute.h"
#include "pxr/usd/usd/prim.h"
#include "pxr/usd/usd/stage.h"

#include <cstdio>
#include <string>
#include <thread>

PXR_NAMESPACE_USING_DIRECTIVE
using arhttp::ArHttpContext;

namespace {

// The "from" attribute of /Model, which each server's layer sets differently.
std::string Origin(const std::string& rootLayer, const ArResolverContext& context) {
    const UsdStageRefPtr stage = UsdStage::Open(rootLayer, context);
    if (!stage) return "<no stage>";
    std::string from;
    const UsdAttribute attribute = stage->GetPrimAtPath(SdfPath("/Model")).GetAttribute(TfToken("from"));
    return attribute && attribute.Get(&from) ? from : "<unresolved>";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: contexts <root layer> <server A URL> <server B URL>\n");
        return 2;
    }
    const std::string root = argv[1];
    ArResolver& resolver = ArGetResolver();

    const ArResolverContext a{ArHttpContext(argv[2])};
    const ArResolverContext b =
        resolver.CreateContextFromString(std::string(argv[3]) + ";header.X-Stage=b");
    std::string fromA, fromB;
    std::thread first([&] { fromA = Origin(root, a); });
    std::thread second([&] { fromB = Origin(root, b); });
    first.join();
    second.join();
    std::printf("A %s\nB %s\n", fromA.c_str(), fromB.c_str());

    // No ArHttpContext: the environment's server.
    std::printf("environment %s\n", Origin(root, ArResolverContext()).c_str());
    // A refused context: a warning, and nothing through HTTP.
    std::printf("refused %s\n",
                Origin(root, resolver.CreateContextFromString(std::string(argv[3]) +
                                                               ";pathFormat=/%s/%s")).c_str());
    // A search path is still a search path.
    std::printf("search path %s\n",
                resolver.CreateContextFromString("/a/b").GetDebugString().c_str());
    std::printf("context-dependent: model %d, root layer %d\n",
                static_cast<int>(resolver.IsContextDependentPath("model")),
                static_cast<int>(resolver.IsContextDependentPath(root)));
    std::printf("debug string %s\n", b.GetDebugString().c_str());

    // Hostile context strings: each refused (a warning, nothing through HTTP), none a crash;
    // the last, separators only, is merely the environment's settings.
    const std::string server = argv[3];
    int refused = 0;
    for (const std::string& hostile :
         {server + ";header.Host=evil.example", server + ";header.X-A=a\r\nX-Injected: 1",
          server + ";header.Bad Name=x", server + ";header.X-A", server + ";bogus=1",
          server + ";pathFormat=", std::string("http://user:hunter2@127.0.0.1:1"),
          std::string("http://\x1b[2Jhost"), std::string("https://"), std::string(";") + std::string(5000, ';')}) {
        const ArHttpContext* context = resolver.CreateContextFromString(hostile).Get<ArHttpContext>();
        refused += context && !context->IsValid();
    }
    std::printf("hostile refused %d\n", refused);
    return 0;
}
