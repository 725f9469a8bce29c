import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

import { ArHttpError, ErrorCodes } from '../errors';

/** What a pin file holds (README, "Pin files"). */
export interface PinFile {
  format: 'ar-http-pins';
  version: 1;
  /** The server the answers came from. */
  server: string;
  /** The snapshot they are as of, or null for the latest answers when pinned. */
  snapshot: string | null;
  /** When the pin was made, ISO 8601. */
  created: string;
  /**
   * Each identifier as the resolver is asked for it -> the server's answer, or null for one that was
   * unresolved. Iterate with {@link sortedPins} for byte order: an object puts integer-like keys first.
   */
  pins: Record<string, string | null>;
}

export const pinFormat = 'ar-http-pins' as const;
export const pinVersion = 1 as const;

/**
 * `pins`' entries in byte order of their keys' UTF-8 forms, as the file holds them (UTF-16 order,
 * JavaScript's `<`, differs past U+FFFF).
 */
export function sortedPins(pins: Record<string, string | null>): [string, string | null][] {
  return Object.keys(pins)
    .map((key) => ({ key, bytes: Buffer.from(key) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map(({ key }) => [key, pins[key]]);
}

/**
 * The file's text: one entry a line, keys in byte order, so that two pins of the same thing are
 * byte-identical but for `created`. Written by hand: JSON.stringify would put integer-like keys first.
 */
export function pinFileText(file: PinFile): string {
  const lines = sortedPins(file.pins).map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const head = [
    `  "format": ${JSON.stringify(file.format)}`,
    `  "version": ${file.version}`,
    `  "server": ${JSON.stringify(file.server)}`,
    `  "snapshot": ${JSON.stringify(file.snapshot)}`,
    `  "created": ${JSON.stringify(file.created)}`,
  ];
  const pins = lines.length === 0 ? '  "pins": {}' : `  "pins": {\n${lines.join(',\n')}\n  }`;
  return `{\n${head.join(',\n')},\n${pins}\n}\n`;
}

/**
 * Writes `text` to `file` whole or not at all: a temporary file in the same folder (so the rename
 * stays on one filesystem), flushed to disk, then renamed over `file`. A reader sees the old file or
 * the new one, never a part; a failure removes the temporary file and leaves the old one.
 */
export function writeFileAtomically(file: string, text: string): void {
  const folder = path.dirname(path.resolve(file));
  const temporary = path.join(folder, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, 'wx', 0o644);
    try {
      const bytes = Buffer.from(text);
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (cause) {
    rmSync(temporary, { force: true });
    throw new ArHttpError(ErrorCodes.PIN_FAILED, `cannot write the pin file ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
  // The rename itself survives a crash once the folder is flushed; not every filesystem can.
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The file is whole either way.
  }
}
