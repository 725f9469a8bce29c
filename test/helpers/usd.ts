import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { run } from './run';

const root = path.join(__dirname, '..', '..');

export interface UsdInstall {
  /** The OpenUSD install folder (holding pxrConfig.cmake). */
  location: string;
  usdcat: string;
  /** The folder for PXR_PLUGINPATH_NAME. */
  pluginPath: string;
  /** The Python this OpenUSD was built with, or null when it has none. */
  python: string | null;
}

/** The Python of an OpenUSD built with it, as CMake found it (cmake/OpenUsd.cmake) when it built the plugin. */
function pythonOf(pluginPath: string): string | null {
  const described = path.join(pluginPath, '..', 'pluginPackage.json');
  // A build from before it was written: rebuilt, it says.
  if (!existsSync(described)) return null;
  const { pythonExecutable } = JSON.parse(readFileSync(described, 'utf8')) as {
    pythonExecutable: string;
  };
  return pythonExecutable || null;
}

function findUsd(): UsdInstall | string {
  // Named by the user (as CMake takes it: PXR_USD_LOCATION, or pxr_DIR), or merely found on the machine.
  const named = process.env.PXR_USD_LOCATION || process.env.pxr_DIR;
  const location = named || '/opt/openusd';
  if (!existsSync(path.join(location, 'pxrConfig.cmake'))) {
    return `no OpenUSD install at ${location} (set PXR_USD_LOCATION)`;
  }
  const usdcat = path.join(location, 'bin', 'usdcat');
  if (!existsSync(usdcat)) return `${location} has no bin/usdcat`;
  const pluginPath = path.join(root, 'build-usd', 'plugin');
  if (!existsSync(path.join(pluginPath, 'plugInfo.json'))) {
    const unbuilt = `OpenUSD is installed at ${location} but ArHttpResolver is not built: run \`npm run build:usd\``;
    // Asked for by name, the USD tests must run: a skip would pass a CI that meant to test the plugin.
    if (named) throw new Error(`${unbuilt} (PXR_USD_LOCATION or pxr_DIR names this install)`);
    return `${unbuilt} to test it`;
  }
  return { location, usdcat, pluginPath, python: pythonOf(pluginPath) };
}

const found = findUsd();

/** The OpenUSD install, or null (after one loud line on stderr saying why the USD tests skip). */
export const usd: UsdInstall | null = typeof found === 'string' ? null : found;
if (typeof found === 'string') {
  process.stderr.write(`\n*** SKIPPING the OpenUSD tests: ${found} ***\n\n`);
}

export const describeWithUsd = usd ? describe : describe.skip;

/**
 * Builds test/native/`name`.cpp against the OpenUSD the tests use (test/native/CMakeLists.txt: the
 * libraries its release and layout have), linked to the plugin when `withPlugin`, in `folder`;
 * returns the program's path. Throws with CMake's output when it fails.
 */
export async function buildUsdProgram(name: string, folder: string, withPlugin = false): Promise<string> {
  const build = path.join(folder, `build-${name}`);
  const configured = await run(
    'cmake',
    [
      '-S', path.join(root, 'test', 'native'), '-B', build, `-DPROGRAM=${name}`, `-DPXR_USD_LOCATION=${usd!.location}`,
      ...(withPlugin ? [`-DAR_HTTP_PLUGIN_LIBRARY=${path.join(usd!.pluginPath, 'arHttp.so')}`] : []),
    ],
    {},
    { timeoutMs: 300_000 },
  );
  const built = configured.status === 0 ? await run('cmake', ['--build', build], {}, { timeoutMs: 300_000 }) : configured;
  if (built.status !== 0) throw new Error(`building test/native/${name}.cpp failed:\n${built.stdout}\n${built.stderr}`);
  return path.join(build, name);
}
