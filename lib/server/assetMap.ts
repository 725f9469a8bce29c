import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ArHttpError, ErrorCodes } from '../errors';
import { packagePath } from '../packageRoot';
import { resolvedPathProblem } from '../protocol';

/** Asset path -> resolved path. */
export type AssetMap = ReadonlyMap<string, string>;

/** The protocol document's sample: `id0x01` and `id0x02`, as absolute paths of this install. */
export function sampleMap(): AssetMap {
  const samples = packagePath('samples');
  return new Map([
    ['id0x01', path.join(samples, 'layer1.usda')],
    ['id0x02', path.join(samples, 'layer2.usda')],
  ]);
}

// scheme://…, as RFC 3986 spells a scheme; two letters at least, so C:\ stays a path.
const urlRegExp = /^[A-Za-z][A-Za-z0-9+.-]+:\/\//;

/**
 * Reads a JSON object of asset path -> resolved path. Relative resolved paths
 * are taken relative to the map file's folder, so a map travels with its layers;
 * URLs (https://cdn/chair.usd, s3://bucket/chair.usd) are kept as written.
 */
export function loadMapFile(file: string): AssetMap {
  const fail = (why: string, cause?: unknown): never => {
    throw new ArHttpError(ErrorCodes.BAD_MAP, `map file ${file}: ${why}`, { cause });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    return fail((cause as Error).message, cause);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return fail('must hold a JSON object of asset path -> resolved path');
  }
  const folder = path.dirname(path.resolve(file));
  const map = new Map<string, string>();
  for (const [assetPath, resolved] of Object.entries(parsed)) {
    if (typeof resolved !== 'string') fail(`the entry for "${assetPath}" must be a string`);
    if (assetPath === '') fail('an asset path must not be empty');
    const resolvedPath = path.isAbsolute(resolved) || urlRegExp.test(resolved) ? resolved : path.join(folder, resolved);
    // As written (an empty one would name the folder), then as served.
    const problem = resolvedPathProblem(resolved) ?? resolvedPathProblem(resolvedPath);
    if (problem !== null) fail(`the entry for ${JSON.stringify(assetPath)}: ${problem}`);
    map.set(assetPath, resolvedPath);
  }
  return map;
}
