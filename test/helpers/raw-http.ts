// Requests written byte for byte on a socket, so tests can send what no HTTP client would: spoofed
// Host and Origin headers, malformed cookies and targets, garbage. Resolves with the status code
// of the answer (0: the server closed the connection without one).

import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

/** Sends `head` (request line and headers, "\r\n"-separated, without the blank line) and reads the status. */
export function rawStatus(origin: string, head: string): Promise<number> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname.replace(/^\[(.*)\]$/, '$1'));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      answer += d;
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      if (m) {
        socket.destroy();
        resolve(Number(m[1]));
      }
    });
    socket.on('close', () => resolve(0));
    socket.on('error', reject);
    socket.write(`${head}\r\n\r\n`, 'latin1');
  });
}

/** "GET <target> HTTP/1.1" with Host (the origin's, unless given) and the other headers. */
export function requestHead(
  origin: string,
  target: string,
  headers: Record<string, string> = {},
): string {
  const all = { Host: new URL(origin).host, ...headers };
  return [`GET ${target} HTTP/1.1`, ...Object.entries(all).map(([k, v]) => `${k}: ${v}`)].join(
    '\r\n',
  );
}

/**
 * A client that asks, reads the first bytes of the answer (or sees the connection cut), and then
 * reads no more: its socket's buffers fill and stay full.
 */
export async function stalledClient(
  origin: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<Socket> {
  const { hostname, port } = new URL(origin);
  const socket = connect(Number(port), hostname.replace(/^\[(.*)\]$/, '$1'));
  socket.write(`${requestHead(origin, target, headers)}\r\n\r\n`);
  await Promise.race([once(socket, 'data'), once(socket, 'close')]);
  socket.pause();
  return socket;
}
