import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A plain static HTTP server, as a CDN or an object store serves files: node:http and node:fs
 * only, no ar-http code, so that what ar-http downloads from it would come as well from any stock
 * server. GET and HEAD of the files under `root`; a strong ETag (a digest of the bytes);
 * If-None-Match (304); a single Range (206); Cache-Control: no-cache. It counts, per file (its
 * path under `root`, with '/'), the bodies sent (200 and 206), the 304s and the 404s.
 */
export interface StaticServer {
  /** `http://127.0.0.1:<port>/`, ending in '/'. */
  url: string;
  /** File -> bodies sent (200 or 206). */
  downloads: Map<string, number>;
  /** File -> 304s. */
  revalidations: Map<string, number>;
  /** Path asked -> 404s. */
  notFound: Map<string, number>;
  /** Bytes per 100 ms while set: bodies trickle (a slow link, to catch a client mid-download). */
  trickle: number | undefined;
  /** Told when a body starts, with its file. */
  onBody: ((file: string) => void) | undefined;
  /** The URL of a file under `root` (path segments percent-encoded). */
  urlOf(file: string): string;
  close(): Promise<void>;
}

/** Starts the server on a free loopback port. */
export async function staticServer(root: string): Promise<StaticServer> {
  const digests = new Map<string, { key: string; etag: string }>();
  const etagOf = (file: string, bytes: Buffer, key: string): string => {
    const known = digests.get(file);
    if (known?.key === key) return known.etag;
    const etag = `"${createHash('sha256').update(bytes).digest('base64url')}"`;
    digests.set(file, { key, etag });
    return etag;
  };
  const count = (counts: Map<string, number>, file: string): void => {
    counts.set(file, (counts.get(file) ?? 0) + 1);
  };
  const server: StaticServer = {
    url: '',
    downloads: new Map(),
    revalidations: new Map(),
    notFound: new Map(),
    trickle: undefined,
    onBody: undefined,
    urlOf: (file) => server.url + file.split('/').map(encodeURIComponent).join('/'),
    close: () => new Promise((done) => {
      httpServer.close(() => done());
      httpServer.closeAllConnections();
    }),
  };
  const sendBody = (response: http.ServerResponse, body: Buffer): void => {
    if (server.trickle === undefined) {
      response.end(body);
      return;
    }
    let sent = 0;
    const next = (): void => {
      if (response.destroyed) return;
      if (server.trickle === undefined) {
        response.end(body.subarray(sent));
        return;
      }
      const end = Math.min(body.length, sent + server.trickle);
      response.write(body.subarray(sent, end));
      sent = end;
      if (sent === body.length) response.end();
      else setTimeout(next, 100);
    };
    next();
  };

  const httpServer = http.createServer((request, response) => {
    const reply = (status: number, headers: http.OutgoingHttpHeaders = {}): void => {
      response.writeHead(status, headers).end();
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, { allow: 'GET, HEAD' });
    let file: string;
    try {
      file = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).slice(1);
    } catch {
      return reply(400);
    }
    const notFound = (): void => {
      count(server.notFound, file);
      reply(404);
    };
    const names = file.split('/');
    if (names.some((name) => name === '' || name === '.' || name === '..')) return notFound();
    let bytes: Buffer;
    let key: string;
    try {
      const where = path.join(root, ...names);
      const stat = statSync(where);
      if (!stat.isFile()) return notFound();
      key = `${stat.size}-${stat.mtimeMs}`;
      bytes = readFileSync(where);
    } catch {
      return notFound();
    }
    const etag = etagOf(file, bytes, key);
    const headers: http.OutgoingHttpHeaders = { etag, 'cache-control': 'no-cache', 'accept-ranges': 'bytes' };
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === etag)) {
      count(server.revalidations, file);
      return reply(304, headers);
    }
    let status = 200;
    let body = bytes;
    const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? '');
    if (range && (range[1] !== '' || range[2] !== '')) {
      const start = range[1] === '' ? Math.max(0, bytes.length - Number(range[2])) : Number(range[1]);
      const end = range[1] === '' || range[2] === '' ? bytes.length - 1 : Math.min(Number(range[2]), bytes.length - 1);
      if (start > end || start >= bytes.length) return reply(416, { 'content-range': `bytes */${bytes.length}` });
      status = 206;
      body = bytes.subarray(start, end + 1);
      headers['content-range'] = `bytes ${start}-${end}/${bytes.length}`;
    }
    headers['content-length'] = body.length;
    headers['content-type'] = 'application/octet-stream';
    response.writeHead(status, headers);
    if (request.method === 'HEAD') return response.end();
    count(server.downloads, file);
    server.onBody?.(file);
    return sendBody(response, body);
  });
  await new Promise<void>((listening) => httpServer.listen(0, '127.0.0.1', listening));
  server.url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/`;
  return server;
}
