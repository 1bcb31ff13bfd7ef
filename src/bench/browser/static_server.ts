/**
 * A static HTTP server on 127.0.0.1 for driving Chromium: an ephemeral port,
 * in-memory files (bundles, pages) and folders mounted under URL prefixes,
 * nothing outside them, and a bounded lifetime so a stuck run cannot leave it
 * listening.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { PixelprepError } from '../../core/errors.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.css': 'text/css; charset=utf-8',
};

export interface StaticServerOptions {
  /** Files served from memory, by URL path ('/index.html'). */
  files?: Readonly<Record<string, string | Uint8Array>>;
  /** Folders served under URL prefixes ('/wasm/' → node_modules/.../dist). */
  mounts?: Readonly<Record<string, string>>;
  /** The server closes itself after this long (default 10 minutes; 0: never, for an interactive demo). */
  lifetimeMs?: number;
  /** Port on 127.0.0.1 (default 0: an ephemeral one). */
  port?: number;
}

export interface StaticServer {
  /** 'http://127.0.0.1:<port>' */
  readonly origin: string;
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens. */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const files = options.files ?? {};
  const mounts = Object.entries(options.mounts ?? {});
  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
      const body = files[path] ?? (await fromMount(path));
      if (body === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
        return;
      }
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  async function fromMount(path: string): Promise<Uint8Array | undefined> {
    for (const [prefix, dir] of mounts) {
      if (!path.startsWith(prefix)) continue;
      const base = resolve(dir);
      const file = normalize(join(base, path.slice(prefix.length)));
      if (!file.startsWith(base + sep)) return undefined;
      return readFile(file).catch(() => undefined);
    }
    return undefined;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new PixelprepError('E_IO', `Expected a TCP address for the static server but received ${String(address)}`);
  const lifetime = options.lifetimeMs ?? 10 * 60_000;
  const timer = lifetime > 0 ? setTimeout(() => server.close(), lifetime) : undefined;
  timer?.unref();
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
