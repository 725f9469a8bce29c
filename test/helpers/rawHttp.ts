import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/**
 * Sends `head` (a request line and headers, CRLF-separated, without the blank line) as is over
 * a new connection to 127.0.0.1:`port` and reads the answer until the server closes. For
 * requests `fetch` would refuse or rewrite (`..` segments, raw backslashes, huge headers).
 */
export function rawRequest(port: number, head: string, body = ''): Promise<RawResponse> {
  return new Promise((done, fail) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setTimeout(10000, () => socket.destroy(new Error(`no answer within 10 s to ${head.slice(0, 80)}`)));
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    // A server refusing a request may reset the connection while it is still being written: its answer counts.
    socket.on('error', (error) => {
      if (received === '') fail(error);
    });
    socket.on('close', () => {
      const match = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(received);
      if (match === null) fail(new Error(`not an HTTP answer: ${JSON.stringify(received.slice(0, 200))}`));
      else done({ status: Number(match[1]), headers: match[2].toLowerCase(), body: match[3] });
    });
    // Not end(): a client that half-closes gets its pending request aborted by Node.
    socket.write(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n${body}`);
  });
}
