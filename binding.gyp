{
  "targets": [
    {
      "target_name": "ar_http",
      "sources": [
        "native/core/Config.cpp",
        "native/core/DebugSwitch.cpp",
        "native/core/FileSystemResolver.cpp",
        "native/core/GuardedClient.cpp",
        "native/core/GuardedStream.cpp",
        "native/core/HttpConnectionPool.cpp",
        "native/core/HttpResolver.cpp",
        "native/core/HttpResolverSet.cpp",
        "native/core/LogSink.cpp",
        "native/core/PathFormat.cpp",
        "native/core/PercentEncoding.cpp",
        "native/core/PrintableText.cpp",
        "native/core/RequestHeaders.cpp",
        "native/core/ResolutionEngine.cpp",
        "native/core/ResolveCache.cpp",
        "native/core/ResponseBody.cpp",
        "native/core/ResponseHead.cpp",
        "native/core/ServerContext.cpp",
        "native/core/ServerUrl.cpp",
        "native/addon/Addon.cpp",
        "native/addon/Arguments.cpp",
        "native/addon/StandaloneBackend.cpp",
        "native/addon/methods/ClearCache.cpp",
        "native/addon/methods/Config.cpp",
        "native/addon/methods/CreateIdentifier.cpp",
        "native/addon/methods/Resolve.cpp",
        "native/addon/methods/ResolveAsync.cpp",
        "native/addon/methods/ResolveManyAsync.cpp"
      ],
      "include_dirs": ["native"],
      "dependencies": [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": [
        "-std=c++17",
        "-fvisibility=hidden",
        "<!@(pkg-config --cflags cpp-httplib)"
      ],
      "libraries": ["<!@(pkg-config --libs cpp-httplib)"],
      "ldflags": [
        "-Wl,--exclude-libs,ALL",
        "-Wl,--version-script=<(module_root_dir)/native/addon/exports.map"
      ]
    }
  ]
}
