/**
 * The browser lane's Node side: bundles a page entry with esbuild, serves it
 * from 127.0.0.1 with tfjs's wasm binaries and the sample photos, and opens
 * it in headless Chromium (puppeteer-core). `browserLaneGate` says whether the
 * lane can run here: in CI (CI=true) a missing or broken Chromium is an error,
 * elsewhere the lane is skipped with the reason.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { bundleForBrowser } from '../../src/bench/browser/bundle.js';
import { findChromium, launchChromium } from '../../src/bench/browser/chromium.js';
import { startStaticServer, type StaticServer } from '../../src/bench/browser/static_server.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** null when the lane can run, else why not. Throws in CI. */
export function browserLaneGate(env: Record<string, string | undefined> = process.env): string | null {
  const found = findChromium(env);
  if (!('reason' in found)) return null;
  if (env.CI === 'true') throw new Error(`The browser lane must run in CI but cannot: ${found.reason}`);
  return found.reason;
}

export interface OpenPage {
  readonly page: Page;
  readonly browser: Browser;
  readonly server: StaticServer;
  /** Console lines and page errors, for failure messages. */
  readonly log: string[];
  close(): Promise<void>;
}

/** Serves `entry` (a .ts file under the repo) as /app.js in a bare page and opens it. */
export async function openPage(entry: string, html = '<!doctype html><meta charset="utf-8"><title>pixelprep</title><script type="module" src="/app.js"></script>'): Promise<OpenPage> {
  const script = await bundleForBrowser(`${ROOT}${entry}`);
  const server = await startStaticServer({
    files: { '/index.html': html, '/app.js': script },
    mounts: { '/wasm/': `${ROOT}node_modules/@tensorflow/tfjs-backend-wasm/dist/`, '/samples/': `${ROOT}samples/` },
  });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const log: string[] = [];
    page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
    await page.goto(`${server.origin}/index.html`, { waitUntil: 'load' });
    const opened = browser;
    return {
      page,
      browser: opened,
      server,
      log,
      async close() {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
