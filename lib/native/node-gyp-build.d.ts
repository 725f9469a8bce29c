declare module 'node-gyp-build' {
  /** Loads the prebuild or `build/Release` addon found under `root`. */
  function nodeGypBuild(root: string): unknown;
  export = nodeGypBuild;
}
