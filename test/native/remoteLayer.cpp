// Opens a layer by URL (argv[1]) through ArHttpResolver and prints what Ar
// says of it, a line each: "resolved", "extension" (of argv[2], the URL with
// a query), "version" and "etag" and "localPath" (asset info), "timestamp",
// "value" (/Chair.version); then, once a line arrives on stdin (the served
// file changed), reloads it and prints "timestamp" and "value" again.
#include "pxr/base/vt/dictionary.h"
#include "pxr/usd/ar/resolver.h"
#include "pxr/usd/sdf/attributeSpec.h"
#include "pxr/usd/sdf/layer.h"

#include <cstdio>
#include <iostream>
#include <string>

PXR_NAMESPACE_USING_DIRECTIVE

namespace {

void Describe(const SdfLayerRefPtr& layer, const std::string& url) {
    ArResolver& resolver = ArGetResolver();
    const ArResolvedPath resolved = resolver.Resolve(url);
    const ArAssetInfo info = resolver.GetAssetInfo(url, resolved);
    const VtDictionary fields = info.resolverInfo.GetWithDefault<VtDictionary>();
    std::printf("version %s\n", info.version.c_str());
    for (const char* key : {"etag", "localPath"}) {
        std::printf("%s %s\n", key, VtDictionaryGet<std::string>(fields, key, VtDefault = std::string()).c_str());
    }
    std::printf("timestamp %s\n", resolver.GetModificationTimestamp(url, resolved).IsValid() ? "valid" : "invalid");
    std::string value = "(none)";
    if (const SdfAttributeSpecHandle attribute = layer->GetAttributeAtPath(SdfPath("/Chair.version"))) {
        value = attribute->GetDefaultValue().GetWithDefault<std::string>("(none)");
    }
    std::printf("value %s\n", value.c_str());
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    const std::string url = argv[1];
    std::printf("resolved %s\n", ArGetResolver().Resolve(url).GetPathString().c_str());
    std::printf("extension %s\n", ArGetResolver().GetExtension(argv[2]).c_str());
    const SdfLayerRefPtr layer = SdfLayer::FindOrOpen(url);
    if (!layer) return 1;
    Describe(layer, url);
    std::string line;
    if (!std::getline(std::cin, line)) return 3;
    std::printf("reloaded %s\n", layer->Reload() ? "yes" : "no");
    Describe(layer, url);
    return 0;
}
