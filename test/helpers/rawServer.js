// The shared half of the raw TCP test servers (hostileWorker.js,
// contentWorker.js), each on a worker thread: requests read off the socket
// as they come, answers written bit by bit, always within a bound.
'use strict';

const net = require('node:net');

// No server writes more than this to one connection, nor for longer.
const MAX_BYTES = 1536 * 1024 * 1024;
const MAX_MS = 30000;

/**
 * Writes what next() gives (null: the end, the connection then closed) to `socket` every `intervalMs` (0: as fast
 * as the socket takes it); past the bounds, or once the client left, the connection is destroyed.
 */
function stream(socket, next, intervalMs = 0) {
  let written = 0;
  const started = Date.now();
  const go = () => {
    while (!socket.destroyed && written < MAX_BYTES && Date.now() - started < MAX_MS) {
      const chunk = next();
      if (chunk === null) return void socket.end();
      written += chunk.length;
      const more = socket.write(chunk);
      if (intervalMs > 0) return void setTimeout(go, intervalMs);
      if (!more) return void socket.once('drain', go);
    }
    socket.destroy();
  };
  go();
}

/**
 * A server on 127.0.0.1, a free port, telling the parent thread its port, and closed (with every connection) when
 * the parent says `isClose(message)`; `onMessage` takes the parent's other messages. Each whole request
 * ({ method, path, headers (lower-case names), body }) goes to `answer(socket, request)`, which returns whether the
 * connection may carry another.
 */
function listenRaw(answer, isClose, onMessage, parentPort) {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let received = Buffer.alloc(0);
    const onData = (data) => {
      received = Buffer.concat([received, data]);
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = received.subarray(0, end).toString('latin1').split('\r\n');
        const headers = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
        const length = Number(/^\d+$/.test(headers['content-length'] ?? '') ? headers['content-length'] : 0);
        if (received.length < end + 4 + length) return;
        const [method, target] = lines[0].split(' ');
        const body = received.subarray(end + 4, end + 4 + length).toString('utf8');
        received = received.subarray(end + 4 + length);
        if (!answer(socket, { method, path: target, headers, body })) {
          socket.off('data', onData);
          return;
        }
      }
    };
    socket.on('data', onData);
  });
  parentPort.on('message', (message) => {
    if (!isClose(message)) return void onMessage(message);
    for (const socket of sockets) socket.destroy();
    server.close(() => parentPort.close());
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
}

module.exports = { listenRaw, stream };
