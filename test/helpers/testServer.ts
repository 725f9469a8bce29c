import path from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** How the test server answers one request path (exact `req.url`), or `*` for all others. */
export interface Route {
  status?: number;
  body?: string;
  /** `body` repeated this many times. */
  repeat?: number;
  /** Answer with the request URL as the body. */
  echoUrl?: boolean;
  delayMs?: number;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Close the connection without answering. */
  destroy?: boolean;
  /** Close the kept-alive connection this long after answering. */
  closeAfterMs?: number;
  /** Extra response headers (e.g. `location`). */
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface TestServer {
  url: string;
  port: number;
  stats(): Promise<{ requests: RecordedRequest[]; connections: number }>;
  close(): Promise<void>;
}

/** PEM key and certificate chain of an https test server. */
export interface TlsIdentity {
  key: string;
  cert: string;
}

/**
 * A real HTTP server on 127.0.0.1, on a free port (or `port`), answering from
 * its own thread; https with `tls`. A route given as an array answers the
 * nth request of its path with its nth element, then with its last.
 */
export async function startTestServer(
  routes: Record<string, Route | Route[]>,
  wantedPort?: number,
  tls?: TlsIdentity,
): Promise<TestServer> {
  const worker = new Worker(path.join(__dirname, 'serverWorker.js'), { workerData: { routes, port: wantedPort, tls } });
  worker.unref();
  const [{ port }] = (await once(worker, 'message')) as [{ port: number }];
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    async stats() {
      worker.postMessage('stats');
      const [stats] = await once(worker, 'message');
      return stats;
    },
    async close() {
      worker.postMessage('close');
      await once(worker, 'exit');
    },
  };
}
