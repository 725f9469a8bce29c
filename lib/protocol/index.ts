import protocol from '../../protocol/protocol.json';

/**
 * The protocol between the resolver and a resolution server, as
 * `protocol/protocol.json` states it once for the C++ core and this package.
 */
export const Protocol = {
  /** `POST` here: many asset paths, one per line. */
  batchPath: protocol.batchPath,
  /** Lines one batch request holds at most; a client splits larger sets, a server answers 413. */
  maxBatchPaths: protocol.maxBatchPaths,
  /** Bytes one batch request body holds at most. */
  maxBatchBodyBytes: protocol.maxBatchBodyBytes,
  /** An asset path, in UTF-8 bytes before percent-encoding: never sent when longer; a server answers 414. */
  maxAssetPathBytes: protocol.maxAssetPathBytes,
  /** A resolved path, in UTF-8 bytes. */
  maxResolvedPathBytes: protocol.maxResolvedPathBytes,
  /** `GET` here: the change feed, as Server-Sent Events. */
  eventsPath: protocol.eventsPath,
  /** The change feed sends something at least this often. */
  keepAliveEventSeconds: protocol.keepAliveEventSeconds,
  /** One change event, in bytes, at most. */
  maxEventBytes: protocol.maxEventBytes,
  /** The query parameter naming a snapshot on `GET` and the batch `POST`. */
  snapshotParameter: protocol.snapshotParameter,
  /** A snapshot id, in characters of `[A-Za-z0-9._-]`, at most. */
  maxSnapshotIdBytes: protocol.maxSnapshotIdBytes,
  /** `POST` makes a snapshot, `GET` lists them (admin routes). */
  snapshotsPath: protocol.snapshotsPath,
  /** Says why a 404 is not a plain "not found". */
  problemHeader: protocol.problemHeader,
  /** The {@link Protocol.problemHeader} value of a 404 for a snapshot the server does not have. */
  unknownSnapshotProblem: protocol.unknownSnapshotProblem,
  /** Sent as `1` with a batch to get each answer's change number; echoed by a server that gives them. */
  versionsHeader: protocol.versionsHeader,
  /** `GET`/`HEAD` under it: the files of a server's content folder (`ar-http serve --content DIR`). */
  contentPath: protocol.contentPath,
} as const;

const snapshotIdRegExp = new RegExp(`^[A-Za-z0-9._-]{1,${protocol.maxSnapshotIdBytes}}$`);

/** Whether `id` is a snapshot id as the protocol states it. */
export function isSnapshotId(id: string): boolean {
  return snapshotIdRegExp.test(id);
}

// No control character (C0 or DEL) anywhere, no space at either end.
const resolvedPathRegExp = /^(?:[^\x00-\x20\x7f](?:[^\x00-\x1f\x7f]*[^\x00-\x20\x7f])?)$/;

/**
 * Why `resolvedPath` is not a resolved path as the protocol states it (what a
 * server may store and answer), or null when it is one.
 */
export function resolvedPathProblem(resolvedPath: string): string | null {
  if (resolvedPath === '') return 'a resolved path must not be empty';
  if (Buffer.byteLength(resolvedPath) > Protocol.maxResolvedPathBytes) {
    return `a resolved path holds at most ${Protocol.maxResolvedPathBytes} bytes`;
  }
  if (!resolvedPathRegExp.test(resolvedPath)) {
    return 'a resolved path holds no control character (U+0000 to U+001F, U+007F) and no space at either end';
  }
  return null;
}
