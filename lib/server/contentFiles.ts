import { createHash } from 'node:crypto';
import { type BigIntStats, constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

import { ArHttpError, ErrorCodes } from '../errors';
import { Protocol } from '../protocol';
import { errorBodySchema, sendError } from './errorReplies';
import { Limits } from './limits';
import { type PluginScopeOptions, setUpPluginScope } from './pluginScope';

export interface ContentFilesOptions extends PluginScopeOptions {
  /** The folder whose files are served (never listed). Symbolic links are followed only while they stay inside it. */
  root: string;
  /**
   * Answers carry `Cache-Control: public, max-age=31536000, immutable`: only for a folder whose
   * files never change once written (names that hold a version or a digest). Default:
   * `no-cache`, so clients keep a copy but revalidate it (a cheap 304) before each use.
   */
  immutable?: boolean;
  /** File versions whose digest is kept (default 10,000): older ones are hashed again when asked. */
  maxDigests?: number;
}

const immutableCaching = 'public, max-age=31536000, immutable';
const revalidatedCaching = 'no-cache';
const hashChunkBytes = 1024 * 1024;

// Types of the files a USD pipeline serves; anything else is bytes.
const contentTypes: Record<string, string> = {
  '.usda': 'text/plain; charset=utf-8',
  '.usdz': 'model/vnd.usdz+zip',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.exr': 'image/x-exr',
};

/** Why a file path (the decoded rest of the URL) is refused, as a status and a message, or its names. */
function namesOf(filePath: string): string[] | [number, string] {
  if (Buffer.byteLength(filePath) > Limits.contentPathBytes) {
    return [414, `content paths are limited to ${Limits.contentPathBytes} bytes`];
  }
  const names = filePath.split('/');
  if (names.some((name) => Buffer.byteLength(name) > Limits.contentNameBytes)) {
    return [414, `a name in a content path is limited to ${Limits.contentNameBytes} bytes`];
  }
  // No '', '.' or '..' (nor an absolute path: it starts with ''), no dot-files (.git, .env), nothing
  // a filesystem reads as a separator or a terminator.
  if (names.some((name) => name === '' || name.startsWith('.') || /[\\\x00-\x1f\x7f]/.test(name))) {
    return [400, "a content path is names joined by '/': none empty or starting with '.', none holding '\\' or a control character"];
  }
  return names;
}

/** The file of a version, digested once: by device, inode, size and both times (ctime moves on every write). */
function versionOf(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

/** SHA-256 of the file's first `size` bytes, read in chunks through `handle` (never whole in memory). */
async function sha256Of(handle: FileHandle, size: number): Promise<Buffer> {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(Math.min(hashChunkBytes, Math.max(size, 1)));
  for (let position = 0; position < size; ) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - position), position);
    if (bytesRead === 0) throw new Error('the file was shortened while it was read');
    hash.update(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest();
}

/** Digests by file version, least recently used dropped first; a digest being computed is shared by every request for it. */
class Digests {
  private readonly known = new Map<string, Promise<Buffer>>();

  constructor(private readonly max: number) {}

  of(handle: FileHandle, stats: BigIntStats): Promise<Buffer> {
    const version = versionOf(stats);
    let digest = this.known.get(version);
    if (digest !== undefined) this.known.delete(version);
    else {
      digest = sha256Of(handle, Number(stats.size));
      digest.catch(() => this.known.delete(version));
    }
    this.known.set(version, digest);
    if (this.known.size > this.max) this.known.delete(this.known.keys().next().value as string);
    return digest;
  }
}

/** Whether an If-None-Match list names `etag` (weak comparison, as RFC 9110 asks for this header). */
function noneMatchHolds(header: string, etag: string): boolean {
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/**
 * The one range a `Range` header asks for in a file of `size` bytes: undefined to send the whole
 * file (no header, a malformed one, or several ranges, which RFC 9110 lets a server ignore), or
 * 'unsatisfiable' (416).
 */
function rangeOf(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header === undefined ? null : /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (match === null || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  // bytes=5-2 is malformed (ignored); bytes=5- and bytes=5-9 start past a 5-byte file (416).
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1) };
}

type Found = { handle: FileHandle; stats: BigIntStats } | [number, string];

const notFound: [number, string] = [404, 'no such file in the content folder'];
// Never blocks on a FIFO left in the folder, never follows a link swapped in after the check.
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** The regular file `filePath` names inside `root` (a real path), opened; else why not. */
async function openInside(root: string, filePath: string): Promise<Found> {
  const names = namesOf(filePath);
  if (typeof names[0] === 'number') return names as [number, string];
  let real: string;
  try {
    real = await fs.realpath(path.join(root, ...(names as string[])));
  } catch {
    return notFound;
  }
  // A symbolic link leading out of the folder is as absent as a missing file.
  if (!real.startsWith(root + path.sep)) return notFound;
  let handle: FileHandle;
  try {
    handle = await fs.open(real, openFlags);
  } catch {
    return notFound;
  }
  const stats = await handle.stat({ bigint: true });
  if (stats.isFile()) return { handle, stats };
  // A folder is never listed.
  await handle.close();
  return notFound;
}

/** The answer to one GET or HEAD: headers, conditions and range; the body streamed from the open file. */
async function answer(request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply, handle: FileHandle, stats: BigIntStats, digest: Buffer, caching: string): Promise<boolean> {
  const size = Number(stats.size);
  const etag = `"${digest.toString('hex')}"`;
  const lastModified = new Date(Number(stats.mtimeMs)).toUTCString();
  reply.header('etag', etag).header('last-modified', lastModified).header('cache-control', caching).header('accept-ranges', 'bytes');

  const { 'if-none-match': ifNoneMatch, 'if-modified-since': ifModifiedSince, 'if-range': ifRange } = request.headers;
  // RFC 9110 13.2.2: If-None-Match, when sent, decides alone.
  const notModified =
    ifNoneMatch !== undefined
      ? noneMatchHolds(ifNoneMatch, etag)
      : ifModifiedSince !== undefined && Date.parse(lastModified) <= Date.parse(ifModifiedSince);
  if (notModified) {
    reply.code(304).send();
    return false;
  }

  reply
    .header('repr-digest', `sha-256=:${digest.toString('base64')}:`)
    .header('content-type', contentTypes[path.extname(request.params['*']).toLowerCase()] ?? 'application/octet-stream')
    .header('x-content-type-options', 'nosniff');
  // A range of another version (If-Range not our tag) would mix two files: the whole file instead.
  const range = ifRange === undefined || String(ifRange).trim() === etag ? rangeOf(request.headers.range, size) : undefined;
  if (range === 'unsatisfiable') {
    sendError(reply.header('content-range', `bytes */${size}`), 416, `the range is outside the file (${size} bytes)`);
    return false;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  if (range !== undefined) reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`);
  reply.header('content-length', end - start + 1);
  if (request.method === 'HEAD' || size === 0) {
    reply.send();
    return false;
  }
  // The stream owns the file from here: it closes it when done, failed or cut off by the client.
  reply.send(handle.createReadStream({ start, end }));
  return true;
}

/**
 * Fastify plugin: `GET`/`HEAD` `/_ar/content/<file path>` (the protocol's `contentPath`) serves the
 * files of `root`, under the prefix it is registered with: strong ETags (the SHA-256 of the
 * bytes, computed once per file version), `Repr-Digest`, `If-None-Match` and `If-Modified-Since`
 * (304), one `Range` (206; 416 when outside the file), `Cache-Control` (see
 * {@link ContentFilesOptions.immutable}); bodies streamed from the file. Never a path out of `root`
 * (`..`, encoded or not, links leading out), a folder listing or a dot-file. With `token`, it requires it.
 * Replace served files by renaming a new file over them: a file rewritten in place while it is
 * being sent reaches that client mixed.
 */
export const contentFiles = fastifyPlugin<ContentFilesOptions>(
  async (scope, options) => {
    let root: string;
    try {
      root = await fs.realpath(options.root);
      if (!(await fs.stat(root)).isDirectory()) throw new Error('not a folder');
    } catch (cause) {
      throw new ArHttpError(ErrorCodes.BAD_OPTION, `the content folder ${options.root}: ${(cause as Error).message}`, { cause });
    }
    const caching = options.immutable === true ? immutableCaching : revalidatedCaching;
    const digests = new Digests(options.maxDigests ?? 10_000);
    setUpPluginScope(scope, options);

    const error = (description: string) => ({ description, ...errorBodySchema });
    const bytes = (description: string) => ({ description, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } });
    scope.route<{ Params: { '*': string } }>({
      method: ['GET', 'HEAD'],
      url: `${Protocol.contentPath}/*`,
      schema: {
        summary: 'A file of the content folder',
        operationId: 'contentFile',
        description:
          'The file at that path under the folder given to serve --content, percent-encoded name by name. ' +
          'ETag is the SHA-256 of its bytes (also sent as Repr-Digest); send If-None-Match for a 304, Range: bytes=a-b for one range.',
        response: {
          200: bytes('The file'),
          206: bytes('The range asked for (Content-Range says which)'),
          304: { description: 'Not modified: the ETag sent is the current one', type: 'null' },
          400: error('A path with an empty, "." or ".." name, a dot-file, a backslash or a control character'),
          404: error('No such file (folders are not listed; links out of the folder are not followed)'),
          414: error('A path or a name too long'),
          416: error('A range outside the file'),
        },
      },
      handler: async (request, reply) => {
        const found = await openInside(root, request.params['*']);
        if (Array.isArray(found)) return sendError(reply, found[0], found[1]);
        let streaming = false;
        try {
          const digest = await digests.of(found.handle, found.stats);
          streaming = await answer(request, reply, found.handle, found.stats, digest, caching);
        } finally {
          if (!streaming) await found.handle.close();
        }
        return reply;
      },
    });
  },
  { name: 'ar-http-content-files', fastify: '5.x', encapsulate: true },
);
