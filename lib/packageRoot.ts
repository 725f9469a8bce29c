import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { ArHttpError, ErrorCodes } from './errors';

let root: string | undefined;

/**
 * A path inside ar-http's package, whether running from `lib/` or `dist/lib/`.
 * The package is found on first use, so importing costs no file reads.
 */
export function packagePath(...parts: string[]): string {
  if (root === undefined) {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json');
      if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'ar-http') {
        root = dir;
        break;
      }
      if (path.dirname(dir) === dir) {
        throw new ArHttpError(
          ErrorCodes.PACKAGE_NOT_FOUND,
          `no package.json of ar-http above ${__dirname}: ar-http cannot be bundled, mark it external`,
        );
      }
    }
  }
  return path.join(root, ...parts);
}
