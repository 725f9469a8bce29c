// A raw TCP content server on its own thread: files answered with strong
// ETags, Last-Modified, Cache-Control and 304s over kept-alive connections,
// or in the broken or hostile way each file's `kind` says. Plain JS: workers
// do not run TS.
const crypto = require('node:crypto');
const zlib = require('node:zlib');
const { parentPort, workerData } = require('node:worker_threads');

const { listenRaw, stream } = require('./rawServer');

const files = new Map(Object.entries(workerData.files));
const requests = [];

function bodyOf(file) {
  return Buffer.from(file.body ?? '', 'base64');
}

function etagOf(file) {
  return file.etag ?? `"${crypto.createHash('sha256').update(bodyOf(file)).digest('hex').slice(0, 16)}"`;
}

function sha256(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('base64');
}


let gzipBomb;
function makeGzipBomb(inflatedBytes) {
  // A text layer's start, so that only its size gives it away.
  return zlib.gzipSync(Buffer.concat([Buffer.from('#usda 1.0\n'), Buffer.alloc(inflatedBytes)]), { level: 9 });
}

function head(status, headers) {
  const reason = { 200: 'OK', 302: 'Found', 304: 'Not Modified', 404: 'Not Found' }[status] ?? 'Whatever';
  return `HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
}

/** Answers one request; returns whether the connection may serve another. */
function answer(socket, request) {
  const file = files.get(request.path.split('?')[0]);
  const record = { path: request.path, status: 0, ifNoneMatch: request.headers['if-none-match'], headers: request.headers };
  requests.push(record);
  if (file === undefined) {
    record.status = 404;
    socket.write(head(404, { 'Content-Length': 2 }) + 'no');
    return true;
  }
  const body = bodyOf(file);
  const etag = etagOf(file);
  const validators = {
    ...(file.noEtag ? {} : { ETag: etag }),
    'Last-Modified': file.lastModified ?? 'Tue, 01 Dec 2026 10:00:00 GMT',
    ...(file.immutable ? { 'Cache-Control': 'public, max-age=31536000, immutable' } : { 'Cache-Control': 'no-cache' }),
  };
  const kind = file.kind ?? 'normal';
  if (['normal', 'slow', 'rightDigest', 'legacyDigest', 'gzip'].includes(kind) && !file.noEtag && request.headers['if-none-match'] === etag) {
    record.status = 304;
    socket.write(head(304, validators));
    return true;
  }
  record.status = 200;
  switch (kind) {
    case 'normal':
      socket.write(head(200, { ...validators, 'Content-Length': body.length }));
      socket.write(body);
      return true;
    case 'rightDigest':
    case 'legacyDigest':
    case 'wrongDigest': {
      const stated = kind === 'wrongDigest' ? sha256(Buffer.concat([body, Buffer.from('x')])) : sha256(body);
      const digest = kind === 'legacyDigest' ? { Digest: `SHA-256=${stated}` } : { 'Repr-Digest': `sha-512=:AAAA:, sha-256=:${stated}:` };
      socket.write(head(200, { ...validators, ...digest, 'Content-Length': body.length }));
      socket.write(body);
      return true;
    }
    case 'truncated':
      // Half the body, then the connection closes.
      socket.write(head(200, { ...validators, 'Content-Length': body.length }));
      socket.end(body.subarray(0, body.length >> 1));
      return false;
    case 'longerLength':
      // A Content-Length beyond the bytes sent, the connection then kept open and silent.
      socket.write(head(200, { ...validators, 'Content-Length': body.length + 1000 }));
      socket.write(body);
      return false;
    case 'twoLengths':
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nContent-Length: ${body.length + 1}\r\n\r\n`);
      socket.end(body);
      return false;
    case 'trickle': {
      // A byte every intervalMs: the bytes come, but far slower than any file needs.
      socket.write(head(200, { ...validators, 'Content-Length': body.length }));
      let at = 0;
      stream(socket, () => (at < body.length ? body.subarray(at, ++at) : null), file.intervalMs ?? 100);
      return false;
    }
    case 'slow': {
      // 16 KiB every intervalMs: a slow but steady server, for a download to be killed midway.
      socket.write(head(200, { ...validators, 'Content-Length': body.length }));
      let at = 0;
      stream(socket, () => (at < body.length ? body.subarray(at, (at += 16384)) : null), file.intervalMs ?? 50);
      return false;
    }
    case 'trickleHead':
      socket.write('HTTP/1.1 200 OK\r\n');
      stream(socket, () => Buffer.from('X'), file.intervalMs ?? 100);
      return false;
    case 'endless': {
      // A chunked body that never ends, as fast as the socket takes it.
      socket.write(head(200, { ...validators, 'Transfer-Encoding': 'chunked' }));
      const chunk = Buffer.from(`10000\r\n${'#usda 1.0\n'.repeat(6553)}      \r\n`);
      stream(socket, () => chunk);
      return false;
    }
    case 'gzipBomb':
      socket.write(head(200, { ...validators, 'Content-Encoding': 'gzip', 'Content-Length': gzipBomb.length }));
      socket.end(gzipBomb);
      return false;
    case 'large': {
      // A text layer of `size` bytes, made as it is sent: the server holds none of it.
      const piece = Buffer.alloc(64 * 1024, 0x20);
      let left = file.size;
      socket.write(head(200, { ...validators, 'Content-Length': left }));
      socket.write('#usda 1.0\n');
      left -= 10;
      stream(socket, () => {
        if (left <= 0) return null;
        const chunk = piece.subarray(0, Math.min(left, piece.length));
        left -= chunk.length;
        return chunk;
      });
      return false;
    }
    case 'gzip': {
      // Compressed although identity was asked for: decoded, and kept whole.
      const packed = zlib.gzipSync(body);
      socket.write(head(200, { ...validators, 'Content-Encoding': 'gzip', 'Content-Length': packed.length }));
      socket.write(packed);
      return true;
    }
    case 'redirect':
      record.status = 302;
      socket.write(head(302, { Location: file.location, 'Content-Length': 0 }));
      return true;
    case 'html': {
      const page = Buffer.from('<!doctype html><html><body>Sign in to continue</body></html>');
      socket.write(head(200, { 'Content-Type': 'text/html', 'Content-Length': page.length }));
      socket.write(page);
      return true;
    }
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

function main() {
  // Made before the first request: it takes a while.
  if ([...files.values()].some((file) => file.kind === 'gzipBomb')) gzipBomb = makeGzipBomb(300 * 1024 * 1024);
  listenRaw(
    answer,
    (message) => message.type === 'close',
    (message) => {
      if (message.type === 'stats') {
        parentPort.postMessage({ requests });
      } else if (message.type === 'set') {
        files.set(message.path, message.file);
        parentPort.postMessage({ done: true });
      }
    },
    parentPort,
  );
}

main();
