// The thread of test/helpers/snapshotServer.ts: a loopback server speaking issue 20's protocol (latest
// answers with ETags, snapshots, unknown-snapshot 404s, versioned batches, the change feed), answering
// while the test's thread is blocked in a synchronous resolve.
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');

const { options, protocol } = workerData;
const latest = new Map(Object.entries(options.latest).map(([key, value], i) => [key, { path: value, change: i + 1 }]));
let changeCount = latest.size;
const snapshots = new Map(
  Object.entries(options.snapshots).map(([id, answers]) => [
    id,
    new Map(Object.entries(answers).map(([key, value]) => [key, { path: value, change: latest.get(key)?.change ?? 0 }])),
  ]),
);
let requests = [];
let connections = 0;
const feeds = new Set();

const server = http.createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    requests.push({ method: request.method, url: request.url, headers: request.headers, body });
    const url = new URL(request.url, 'http://127.0.0.1');
    const snapshot = url.searchParams.get(protocol.snapshotParameter);
    if (url.pathname === protocol.eventsPath) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.write(': hello\n\n');
      feeds.add(response);
      response.on('close', () => feeds.delete(response));
      return;
    }
    const answers = snapshot === null ? latest : snapshots.get(snapshot);
    if (!answers) {
      response.writeHead(404, { [protocol.problemHeader]: protocol.unknownSnapshotProblem, 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: `unknown snapshot ${snapshot}` }));
      return;
    }
    if (request.method === 'POST' && url.pathname === protocol.batchPath) {
      const versioned = options.versions !== false && request.headers[protocol.versionsHeader.toLowerCase()] === '1';
      const lines = body.split('\n').slice(0, -1).map((line) => {
        const answer = answers.get(decodeURIComponent(line));
        if (!answer) return '';
        return versioned ? `${answer.change} ${answer.path}` : answer.path;
      });
      response.writeHead(200, { 'content-type': 'text/plain', ...(versioned ? { [protocol.versionsHeader]: '1' } : {}) });
      response.end(lines.map((line) => `${line}\n`).join(''));
      return;
    }
    const answer = answers.get(decodeURIComponent(url.pathname.slice(1)));
    if (!answer) {
      response.writeHead(404);
      response.end();
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/plain',
      etag: `"${answer.change}"`,
      'cache-control': snapshot === null ? 'no-cache' : 'public, max-age=31536000, immutable',
    });
    response.end(answer.path);
  });
});
server.on('connection', () => (connections += 1));
server.listen(options.port ?? 0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));

parentPort.on('message', (message) => {
  if (message.kind === 'stats') {
    parentPort.postMessage({ requests, connections });
  } else if (message.kind === 'reset') {
    requests = [];
    parentPort.postMessage({});
  } else if (message.kind === 'change') {
    const { assetPath, resolvedPath } = message;
    changeCount += 1;
    if (resolvedPath === null) latest.delete(assetPath);
    else latest.set(assetPath, { path: resolvedPath, change: changeCount });
    const event = `id: ${changeCount}\nevent: change\ndata: ${encodeURIComponent(assetPath)}\ndata: ${
      resolvedPath === null ? '' : encodeURIComponent(resolvedPath)}\n\n`;
    for (const feed of feeds) feed.write(event);
    parentPort.postMessage({});
  } else if (message.kind === 'close') {
    for (const feed of feeds) feed.end();
    server.closeAllConnections();
    server.close(() => parentPort.postMessage({}));
  }
});
