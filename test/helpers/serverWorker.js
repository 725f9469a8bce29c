// A loopback HTTP server on its own thread, so that a synchronous resolve on
// the test's thread can still be answered. Plain JS: workers do not run TS.
const http = require('node:http');
const https = require('node:https');
const { parentPort, workerData } = require('node:worker_threads');

const routes = workerData.routes;
const requests = [];
// How many requests each path has had, for routes given as a sequence.
const seen = new Map();
let connections = 0;
const sockets = new Set();

const handler = (req, res) => {
  requests.push({ method: req.method, url: req.url, headers: req.headers });
  const given = routes[req.url] ?? routes['*'] ?? { status: 404, body: '' };
  const count = seen.get(req.url) ?? 0;
  seen.set(req.url, count + 1);
  // A sequence answers its nth request with its nth route, then its last one for ever.
  const route = Array.isArray(given) ? given[Math.min(count, given.length - 1)] : given;
  if (route.hang) return; // accept, never answer
  const send = () => {
    if (route.destroy) {
      req.socket.destroy();
      return;
    }
    const body = route.echoUrl ? req.url : route.repeat ? route.body.repeat(route.repeat) : (route.body ?? '');
    res.writeHead(route.status ?? 200, { 'content-type': 'text/plain; charset=utf-8', ...route.headers });
    res.end(body);
    // Like a server dropping an idle keep-alive connection, without saying so.
    if (route.closeAfterMs) res.on('finish', () => setTimeout(() => req.socket.destroy(), route.closeAfterMs));
  };
  if (route.delayMs) setTimeout(send, route.delayMs);
  else send();
};
// workerData.tls: { key, cert } in PEM serves https.
const server = workerData.tls ? https.createServer(workerData.tls, handler) : http.createServer(handler);
server.keepAliveTimeout = 60000;
server.on(workerData.tls ? 'secureConnection' : 'connection', (socket) => {
  connections += 1;
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});

parentPort.on('message', (message) => {
  if (message === 'stats') {
    parentPort.postMessage({ requests, connections });
  } else if (message === 'close') {
    for (const socket of sockets) socket.destroy();
    server.close(() => parentPort.close());
  }
});

server.listen(workerData.port ?? 0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
