import { existsSync } from 'node:fs';
import path from 'node:path';

import { ArHttpError, ErrorCodes } from '../errors';
import { packagePath } from '../packageRoot';

/** The folder to put on `PXR_PLUGINPATH_NAME` so that OpenUSD loads ArHttpResolver. */
export function pluginPath(): string {
  // Where `npm run build:usd` puts the plugin's plugInfo.json.
  const pluginFolder = packagePath('build-usd', 'plugin');
  if (!existsSync(path.join(pluginFolder, 'plugInfo.json'))) {
    throw new ArHttpError(
      ErrorCodes.PLUGIN_NOT_BUILT,
      `the USD plugin is not built (no ${path.join(pluginFolder, 'plugInfo.json')}); ` +
        'build it with `npm run build:usd` against your OpenUSD (set PXR_USD_LOCATION)',
    );
  }
  return pluginFolder;
}
