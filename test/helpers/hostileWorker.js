// A raw TCP server on its own thread that reads each request and answers it
// the way workerData.scenario says a broken or hostile HTTP server would.
// Plain JS: workers do not run TS.
const zlib = require('node:zlib');
const { parentPort, workerData } = require('node:worker_threads');

const { listenRaw, stream } = require('./rawServer');

const { scenario } = workerData;
// Where the right answer says each asset is.
const prefix = workerData.resolvedPrefix ?? '/resolved/';
const requests = [];

/** The right answer's body: one resolved path per asset path asked. */
function resolvedBody(request) {
  if (request.method === 'POST') {
    return request.body.split('\n').filter(Boolean).map((line) => `${prefix}${line}\n`).join('');
  }
  return `${prefix}${request.path.slice(1)}`;
}

function ok(body, head = '') {
  return `HTTP/1.1 200 OK\r\n${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}


let gzipBomb;
function makeGzipBomb(inflatedBytes) {
  const zeros = Buffer.alloc(1024 * 1024);
  const gzip = zlib.createGzip({ level: 9 });
  const parts = [];
  gzip.on('data', (part) => parts.push(part));
  const done = new Promise((resolve) => gzip.on('end', () => resolve(Buffer.concat(parts))));
  for (let i = 0; i < inflatedBytes / zeros.length; i += 1) gzip.write(zeros);
  gzip.end();
  return done;
}

const kilobytes64 = 'a'.repeat(64 * 1024);

const scenarios = {
  // A status line with a long reason phrase, then a right answer.
  longStatusLine: (socket, request) => {
    const body = resolvedBody(request);
    socket.end(`HTTP/1.1 200 ${'O'.repeat(scenario.length)}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  },
  // Interim answers (102, 103, 100 with headers), then a right answer.
  interim: (socket, request) => {
    socket.write('HTTP/1.1 102 Processing\r\n\r\n');
    setTimeout(() => {
      socket.write('HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 100 Continue\r\nX-Note: more\r\n\r\n');
      socket.end(ok(resolvedBody(request)));
    }, 20);
  },
  continueForever: (socket) => stream(socket, () => 'HTTP/1.1 100 Continue\r\n\r\n', 1),
  trickleStatusLine: (socket) => {
    socket.write('HTTP/1.1 200 ');
    stream(socket, () => 'O', scenario.intervalMs);
  },
  trickleHeaders: (socket) => {
    socket.write('HTTP/1.1 200 OK\r\n');
    stream(socket, () => 'X-Slow: yes\r\n', scenario.intervalMs);
  },
  trickleChunks: (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
    stream(socket, () => '1\r\n/\r\n', scenario.intervalMs);
  },
  endlessHeaders: (socket) => {
    socket.write('HTTP/1.1 200 OK\r\n');
    stream(socket, () => 'X-More: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(1000));
  },
  endlessHeaderLine: (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nX-Long: ');
    stream(socket, () => kilobytes64);
  },
  endlessStatusLine: (socket) => {
    socket.write('HTTP/1.1 200 ');
    stream(socket, () => kilobytes64);
  },
  endlessChunkSizeLine: (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
    stream(socket, () => '1'.repeat(64 * 1024));
  },
  endlessChunkedBody: (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
    stream(socket, () => `10000\r\n${kilobytes64}\r\n`);
  },
  bigBody: (socket) => {
    const size = 100 * 1024 * 1024;
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`);
    let left = size / kilobytes64.length;
    stream(socket, () => (left-- > 0 ? kilobytes64 : ''));
  },
  gzipBomb: (socket) => {
    socket.write(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gzipBomb.length}\r\n\r\n`);
    socket.end(gzipBomb);
  },
  garbage: (socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'),
  // Right answers framed as HTTP allows but by their length alone.
  chunked: (socket, request) => {
    const body = resolvedBody(request);
    const half = Math.floor(body.length / 2);
    const chunk = (text) => `${Buffer.byteLength(text).toString(16)};note="x"\r\n${text}\r\n`;
    socket.end(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunk(body.slice(0, half))}${chunk(body.slice(half))}0\r\nX-Trailer: t\r\n\r\n`);
  },
  closeDelimited: (socket, request) => socket.end(`HTTP/1.1 200 OK\r\n\r\n${resolvedBody(request)}`),
  http10: (socket, request) => socket.end(`HTTP/1.0 200 OK\r\nContent-Length: ${Buffer.byteLength(resolvedBody(request))}\r\n\r\n${resolvedBody(request)}`),
  // Asked for unencoded answers, it sends gzip all the same.
  gzipAnswer: (socket, request) => {
    const body = zlib.gzipSync(resolvedBody(request));
    socket.write(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.end(body);
  },
  chunkOverflow: (socket) => socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000005\r\nabcde\r\n0\r\n\r\n'),
  chunkOverrun: (socket, request) => {
    const body = resolvedBody(request);
    socket.end(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n${body}\r\n0\r\n\r\n`);
  },
};

async function main() {
  if (scenario.kind === 'gzipBomb') gzipBomb = await makeGzipBomb(300 * 1024 * 1024);
  const answer = scenarios[scenario.kind];
  listenRaw(
    (socket, request) => {
      requests.push({ method: request.method, path: request.path.slice(0, 100), pathLength: request.path.length });
      answer(socket, request);
      return false;
    },
    (message) => message === 'close',
    () => parentPort.postMessage({ requests }),
    parentPort,
  );
}

main();
