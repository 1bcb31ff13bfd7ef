/**
 * Chromium for the browser lane, benchmark and demo screenshot, driven by
 * puppeteer-core (which downloads nothing): the binary from
 * PIXELPREP_CHROMIUM or `chromium` on PATH (Debian's package; .ci/setup-chromium.sh),
 * headless, with software GL (SwiftShader through ANGLE) and WebGPU on
 * Vulkan (lavapipe where installed) enabled.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { PixelprepError } from '../../core/errors.js';

/** Chromium's switches: headless, no sandbox (CI runs as root), GPU paths that work without a display. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless=new',
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan,WebGPUDeveloperFeatures',
  '--use-vulkan=native',
  '--disable-vulkan-surface',
];

const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/** The Chromium binary to drive, or why there is none. */
export function findChromium(env: Record<string, string | undefined> = process.env): { path: string } | { reason: string } {
  const explicit = env.PIXELPREP_CHROMIUM?.trim();
  if (explicit) return isExecutable(explicit) ? { path: explicit } : { reason: `PIXELPREP_CHROMIUM=${explicit} is not an executable file` };
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const path = join(dir, name);
      if (isExecutable(path)) return { path };
    }
  }
  return { reason: `no ${NAMES.join(' / ')} on PATH (run .ci/setup-chromium.sh as root on Debian, or set PIXELPREP_CHROMIUM)` };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts headless Chromium.
 * @throws PixelprepError E_BACKEND when there is no Chromium or it does not start.
 */
export async function launchChromium(): Promise<Browser> {
  const found = findChromium();
  if ('reason' in found) throw new PixelprepError('E_BACKEND', `Expected a Chromium to drive but found ${found.reason}`);
  const puppeteer = await import('puppeteer-core');
  try {
    return await puppeteer.launch({ executablePath: found.path, headless: true, args: [...CHROMIUM_ARGS], protocolTimeout: 180_000 });
  } catch (error) {
    throw new PixelprepError('E_BACKEND', `Expected Chromium at ${found.path} to start but it failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { cause: error });
  }
}
