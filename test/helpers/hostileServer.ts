import path from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** How the hostile server answers every request; see hostileWorker.js for each kind. */
export type Scenario =
  | { kind: 'longStatusLine'; length: number }
  | { kind: 'trickleStatusLine' | 'trickleHeaders' | 'trickleChunks'; intervalMs: number }
  | {
      kind:
        | 'interim'
        | 'continueForever'
        | 'endlessHeaders'
        | 'endlessHeaderLine'
        | 'endlessStatusLine'
        | 'endlessChunkSizeLine'
        | 'endlessChunkedBody'
        | 'bigBody'
        | 'gzipBomb'
        | 'garbage';
    };

export interface HostileServer {
  url: string;
  /** What was asked: method, the first 100 bytes of the target and its length. */
  requests(): Promise<{ method: string; path: string; pathLength: number }[]>;
  close(): Promise<void>;
}

/** A raw TCP server on 127.0.0.1, on its own thread (a synchronous resolve blocks this one). */
export async function startHostileServer(scenario: Scenario): Promise<HostileServer> {
  const worker = new Worker(path.join(__dirname, 'hostileWorker.js'), { workerData: { scenario } });
  worker.unref();
  const [{ port }] = (await once(worker, 'message')) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${port}`,
    async requests() {
      worker.postMessage('stats');
      const [stats] = await once(worker, 'message');
      return stats.requests;
    },
    async close() {
      worker.postMessage('close');
      await once(worker, 'exit');
    },
  };
}
