{
  "targets": [
    {
      "target_name": "ar_http",
      "sources": [
        "<!@(node native/buildInfo.js sources core transport addon addonStandalone)"
      ],
      "actions": [
        {
          "action_name": "protocol_header",
          "inputs": ["protocol/protocol.json", "native/buildInfo.js"],
          "outputs": ["<(INTERMEDIATE_DIR)/ArHttpProtocol.h"],
          "action": ["node", "native/buildInfo.js", "protocol", "<(INTERMEDIATE_DIR)"]
        }
      ],
      "include_dirs": ["native", "<(INTERMEDIATE_DIR)"],
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
      # DT_RPATH $ORIGIN, not RUNPATH: it also serves the libraries cpp-httplib loads, so a prebuild finds
      # all it carries beside it (native/prebuild.js); a build in build/Release has none there and uses the system's.
      "ldflags": [
        "-Wl,--disable-new-dtags",
        "-Wl,-rpath,'$$ORIGIN'",
        "-Wl,--exclude-libs,ALL",
        "-Wl,--version-script=<(module_root_dir)/native/addon/exports.map"
      ]
    }
  ]
}
