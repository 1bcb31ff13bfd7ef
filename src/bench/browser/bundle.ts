/**
 * esbuild bundles of browser entries (TypeScript in, one ES module out), made
 * in memory for the static server.
 */
import { PixelprepError } from '../../core/errors.js';

/**
 * Bundles `entry` for browsers and returns the JavaScript.
 * @throws PixelprepError E_IO when esbuild reports errors.
 */
export async function bundleForBrowser(entry: string): Promise<string> {
  const esbuild = await import('esbuild');
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      // tfjs-core's Node-only branches (node-fetch, util, worker_threads) are never reached in a browser.
      external: ['node-fetch', 'util', 'crypto', 'worker_threads', 'fs', 'path', 'os', 'perf_hooks', 'string_decoder'],
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    return result.outputFiles[0].text;
  } catch (error) {
    throw new PixelprepError('E_IO', `Expected ${entry} to bundle for the browser but esbuild failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
