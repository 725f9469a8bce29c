import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

export interface UsdInstall {
  /** The OpenUSD install folder (holding pxrConfig.cmake). */
  location: string;
  usdcat: string;
  /** The folder for PXR_PLUGINPATH_NAME. */
  pluginPath: string;
}

function findUsd(): UsdInstall | string {
  const location = process.env.PXR_USD_LOCATION || '/opt/openusd';
  if (!existsSync(path.join(location, 'pxrConfig.cmake'))) {
    return `no OpenUSD install at ${location} (set PXR_USD_LOCATION)`;
  }
  const usdcat = path.join(location, 'bin', 'usdcat');
  if (!existsSync(usdcat)) return `${location} has no bin/usdcat`;
  const pluginPath = path.join(root, 'build-usd', 'plugin');
  if (!existsSync(path.join(pluginPath, 'plugInfo.json'))) {
    throw new Error(
      `OpenUSD is installed at ${location} but ArHttpResolver is not built: run \`npm run build:usd\``,
    );
  }
  return { location, usdcat, pluginPath };
}

const found = findUsd();

/** The OpenUSD install, or null (after one loud line on stderr saying why the USD tests skip). */
export const usd: UsdInstall | null = typeof found === 'string' ? null : found;
if (typeof found === 'string') {
  process.stderr.write(`\n*** SKIPPING the OpenUSD tests: ${found} ***\n\n`);
}

export const describeWithUsd = usd ? describe : describe.skip;
