import { existsSync } from 'node:fs';
import path from 'node:path';

import { ArHttpError, ErrorCodes } from '../errors';
import { packageRoot } from '../packageRoot';

/** Where `npm run build:usd` puts the plugin's plugInfo.json. */
const pluginFolder = path.join(packageRoot, 'build-usd', 'plugin');

/** The folder to put on `PXR_PLUGINPATH_NAME` so that OpenUSD loads ArHttpResolver. */
export function pluginPath(): string {
  if (!existsSync(path.join(pluginFolder, 'plugInfo.json'))) {
    throw new ArHttpError(
      ErrorCodes.PLUGIN_NOT_BUILT,
      `ar-http: the USD plugin is not built (no ${path.join(pluginFolder, 'plugInfo.json')}); ` +
        'build it with `npm run build:usd` against your OpenUSD (set PXR_USD_LOCATION)',
    );
  }
  return pluginFolder;
}
