import path from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** How the content server answers one path; see contentWorker.js for each kind. */
export interface ContentFile {
  body?: Buffer | string;
  kind?:
    | 'normal'
    | 'rightDigest'
    | 'legacyDigest'
    | 'wrongDigest'
    | 'truncated'
    | 'longerLength'
    | 'twoLengths'
    | 'trickle'
    | 'slow'
    | 'trickleHead'
    | 'endless'
    | 'gzipBomb'
    | 'gzip'
    | 'large'
    | 'redirect'
    | 'html';
  /** `Cache-Control: immutable`. */
  immutable?: boolean;
  /** For `large`: the body's size. */
  size?: number;
  /** For `redirect`. */
  location?: string;
  /** For `trickle`, `slow` and `trickleHead`. */
  intervalMs?: number;
  /** The ETag sent instead of a digest of the body. */
  etag?: string;
  noEtag?: boolean;
  lastModified?: string;
}

export interface ContentRequest {
  path: string;
  /** 200 for every answer with a body (hostile ones included), 304, 302 or 404. */
  status: number;
  ifNoneMatch?: string;
  headers: Record<string, string>;
}

export interface ContentServer {
  url: string;
  requests(): Promise<ContentRequest[]>;
  /** How many answers of `status` (200: bodies sent) `path` got. */
  count(path: string, status?: number): Promise<number>;
  /** Replaces what `path` answers. */
  set(path: string, file: ContentFile): Promise<void>;
  close(): Promise<void>;
}

function wire(file: ContentFile): Record<string, unknown> {
  return { ...file, body: Buffer.from(file.body ?? '').toString('base64') };
}

/**
 * A raw TCP content server on 127.0.0.1, on its own thread (a synchronous fetchAsset blocks this one), answering
 * `files` by path and 404 for any other.
 */
export async function startContentServer(files: Record<string, ContentFile>): Promise<ContentServer> {
  const worker = new Worker(path.join(__dirname, 'contentWorker.js'), {
    workerData: { files: Object.fromEntries(Object.entries(files).map(([name, file]) => [name, wire(file)])) },
  });
  worker.unref();
  const [{ port }] = (await once(worker, 'message')) as [{ port: number }];
  const requests = async (): Promise<ContentRequest[]> => {
    worker.postMessage({ type: 'stats' });
    const [stats] = await once(worker, 'message');
    return stats.requests;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async count(wanted, status = 200) {
      return (await requests()).filter((request) => request.path === wanted && request.status === status).length;
    },
    async set(wanted, file) {
      worker.postMessage({ type: 'set', path: wanted, file: wire(file) });
      await once(worker, 'message');
    },
    async close() {
      worker.postMessage({ type: 'close' });
      await once(worker, 'exit');
    },
  };
}
