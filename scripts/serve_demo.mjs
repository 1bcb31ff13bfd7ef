#!/usr/bin/env node
/**
 * `npm run demo:web`: serves the browser demo (web/demo/) on 127.0.0.1.
 * The page's TypeScript is bundled by esbuild when the server starts; tfjs's
 * wasm binaries and the sample photos are served beside it.
 *
 *     npm run demo:web                 # http://127.0.0.1:8080/
 *     npm run demo:web -- --port 9000
 *
 * Uses the compiled server and bundler in dist/bench/browser (npm run build).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const portFlag = process.argv.indexOf('--port');
const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve_demo: expected --port to be an integer 0..65535 but received ${process.argv[portFlag + 1] ?? process.env.PORT}`);
  process.exit(2);
}

let modules;
try {
  modules = await Promise.all([import('../dist/bench/browser/static_server.js'), import('../dist/bench/browser/bundle.js')]);
} catch (error) {
  console.error(`serve_demo: dist/ is missing or stale (${error.message.split('\n')[0]}); run npm run build first`);
  process.exit(1);
}
const [{ startStaticServer }, { bundleForBrowser }] = modules;

const server = await startStaticServer({
  port,
  lifetimeMs: 0,
  files: {
    '/index.html': await readFile(`${root}web/demo/index.html`, 'utf8'),
    '/app.js': await bundleForBrowser(`${root}web/demo/main.ts`),
  },
  mounts: { '/wasm/': `${root}node_modules/@tensorflow/tfjs-backend-wasm/dist/`, '/samples/': `${root}samples/` },
});
console.log(`pixelprep demo: ${server.origin}/index.html (Ctrl-C to stop)`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
