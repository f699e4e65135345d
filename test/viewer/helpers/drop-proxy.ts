// A TCP proxy in front of a viewer server that can cut the network: cut() resets every open
// connection (the live stream among them) and refuses new ones for a while, as a dropped Wi-Fi
// or a restarted proxy would. The browser sees a real network error and recovers on its own.

import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DropProxy {
  /** http://127.0.0.1:PORT/ in front of the target. */
  base: string;
  /** Resets every connection now and refuses new ones for `ms`; resolves when they are accepted again. */
  cut(ms: number): Promise<void>;
  /** Connections refused while cut. */
  refused: number;
  close(): Promise<void>;
}

/** Proxies 127.0.0.1:<free port> to the host and port of `target` (a URL). */
export async function startDropProxy(target: string): Promise<DropProxy> {
  const { hostname, port } = new URL(target);
  /** Browser-side sockets; their upstream sockets close with them. */
  const open = new Set<Socket>();
  let cutUntil = 0;
  const server: Server = createServer((client) => {
    if (Date.now() < cutUntil) {
      proxy.refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    open.add(client);
    client.on('close', () => open.delete(client));
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: DropProxy = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    refused: 0,
    cut: async (ms) => {
      cutUntil = Date.now() + ms;
      for (const s of open) s.resetAndDestroy();
      await new Promise((r) => setTimeout(r, ms));
    },
    close: () => {
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
