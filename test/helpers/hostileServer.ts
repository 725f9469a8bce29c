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
        | 'garbage'
        | 'chunked'
        | 'closeDelimited'
        | 'http10'
        | 'gzipAnswer'
        | 'chunkOverflow'
        | 'chunkOverrun';
    };

/** Each way of answering, and whether the resolver still gets the right answer out of it. */
export const hostileCases: [string, Scenario, boolean][] = [
  ['a 30 KB status line (a right answer otherwise)', { kind: 'longStatusLine', length: 30_000 }, true],
  ['a 100 KB status line', { kind: 'longStatusLine', length: 100_000 }, false],
  ['a status line that never ends', { kind: 'endlessStatusLine' }, false],
  ['102 Processing, 103 Early Hints and 100 with headers before a right answer', { kind: 'interim' }, true],
  ['100 Continue for ever', { kind: 'continueForever' }, false],
  ['a status line trickled every 500 ms', { kind: 'trickleStatusLine', intervalMs: 500 }, false],
  ['header lines trickled every 500 ms', { kind: 'trickleHeaders', intervalMs: 500 }, false],
  ['chunks trickled every 500 ms', { kind: 'trickleChunks', intervalMs: 500 }, false],
  ['header lines that never end', { kind: 'endlessHeaders' }, false],
  ['one header line that never ends', { kind: 'endlessHeaderLine' }, false],
  ['one chunk-size line that never ends', { kind: 'endlessChunkSizeLine' }, false],
  ['a chunked body that never ends', { kind: 'endlessChunkedBody' }, false],
  ['a 100 MB body', { kind: 'bigBody' }, false],
  ['a 300 KB gzip body inflating to 300 MB', { kind: 'gzipBomb' }, false],
  ['no HTTP at all', { kind: 'garbage' }, false],
  ['a chunked answer with chunk extensions and a trailer', { kind: 'chunked' }, true],
  ['an answer ended by closing the connection', { kind: 'closeDelimited' }, true],
  ['an HTTP/1.0 answer', { kind: 'http10' }, true],
  // Answers are asked unencoded (Accept-Encoding: identity).
  ['a gzip-encoded answer', { kind: 'gzipAnswer' }, false],
  ['a chunk size over 64 bits', { kind: 'chunkOverflow' }, false],
  ['a chunk longer than its size', { kind: 'chunkOverrun' }, false],
];

export interface HostileServer {
  url: string;
  /** What was asked: method, the first 100 bytes of the target and its length. */
  requests(): Promise<{ method: string; path: string; pathLength: number }[]>;
  close(): Promise<void>;
}

/**
 * A raw TCP server on 127.0.0.1, on its own thread (a synchronous resolve
 * blocks this one). Its right answers put each asset under `resolvedPrefix`.
 */
export async function startHostileServer(scenario: Scenario, resolvedPrefix = '/resolved/'): Promise<HostileServer> {
  const worker = new Worker(path.join(__dirname, 'hostileWorker.js'), { workerData: { scenario, resolvedPrefix } });
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
