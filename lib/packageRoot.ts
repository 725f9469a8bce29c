import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The folder of ar-http's package.json, whether running from `lib/` or `dist/lib/`. */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'ar-http') {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`ar-http: no package.json above ${start}`);
  }
}

export const packageRoot = findPackageRoot(__dirname);
