import { once } from 'node:events';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

import { Protocol } from '../../lib/protocol';

export interface SnapshotServerRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A loopback server speaking issue 20's protocol, on its own thread (see snapshotWorker.js). */
export interface SnapshotServer {
  url: string;
  port: number;
  /** The requests since start or the last reset, and the TCP connections accepted since start. */
  stats(): Promise<{ requests: SnapshotServerRequest[]; connections: number }>;
  reset(): Promise<void>;
  /** Sets a latest mapping (`null` removes it) and sends it on the change feed. */
  change(assetPath: string, resolvedPath: string | null): Promise<void>;
  close(): Promise<void>;
}

/**
 * `latest`: asset path -> resolved path, each set by the change numbered its position + 1;
 * `snapshots`: id -> the answers as of it. `versions` false: a server that ignores Ar-Http-Versions.
 * `port`: listen there (a port a test freed).
 */
export async function startSnapshotServer(options: {
  latest: Record<string, string>;
  snapshots: Record<string, Record<string, string>>;
  versions?: boolean;
  port?: number;
}): Promise<SnapshotServer> {
  const protocol = {
    snapshotParameter: Protocol.snapshotParameter,
    eventsPath: Protocol.eventsPath,
    batchPath: Protocol.batchPath,
    problemHeader: Protocol.problemHeader,
    unknownSnapshotProblem: Protocol.unknownSnapshotProblem,
    versionsHeader: Protocol.versionsHeader,
  };
  const worker = new Worker(path.join(__dirname, 'snapshotWorker.js'), { workerData: { options, protocol } });
  worker.unref();
  const [{ port }] = (await once(worker, 'message')) as [{ port: number }];
  const ask = async <T>(message: object): Promise<T> => {
    worker.postMessage(message);
    return ((await once(worker, 'message')) as [T])[0];
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats: () => ask({ kind: 'stats' }),
    reset: () => ask({ kind: 'reset' }),
    change: (assetPath, resolvedPath) => ask({ kind: 'change', assetPath, resolvedPath }),
    async close() {
      await ask({ kind: 'close' });
      await worker.terminate();
    },
  };
}
