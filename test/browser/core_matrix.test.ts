/**
 * The core matrix inside real Chromium, on webgl (pixelprep's webgl kernels,
 * SwiftShader software GL here), webgpu (where Chromium exposes an adapter),
 * wasm and cpu. The page computes each case and its float64 reference;
 * each case becomes one named test here.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserLaneGate, openPage, type OpenPage } from './harness.js';
import { matrixCases, type CaseResult, type LaneInfo } from './page/matrix_cases.js';
import { WEBGL_EXTRA_NAMES } from './page/webgl_extras.js';

const TOLERANCE = 1e-6;
const STATS_TOLERANCE = 1e-7;
const LANES = ['webgl', 'webgpu', 'wasm', 'cpu'] as const;
/** Lanes that must run wherever Chromium runs; webgpu depends on an adapter. */
const REQUIRED = new Set(['webgl', 'wasm', 'cpu']);

interface LaneApi {
  start(name: string): Promise<LaneInfo>;
  matrix(): Promise<CaseResult[]>;
  extras(): Promise<CaseResult[]>;
}

const lane = (page: Page) => page.waitForFunction(() => 'pixelprepLane' in globalThis, { timeout: 60_000 });

const gate = browserLaneGate();

if (gate) {
  describe('browser lane (Chromium)', () => it.skip(`skipped: ${gate}`, () => undefined));
} else {
  let site: OpenPage;
  const started = Date.now();
  beforeAll(async () => {
    site = await openPage('test/browser/page/lane_entry.ts');
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    console.log(`browser lane: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  for (const name of LANES) {
    describe(`chromium ${name}`, () => {
      let info: LaneInfo = { backend: name, available: false, reason: 'not started' };
      const results = new Map<string, CaseResult>();
      beforeAll(async () => {
        const page = await site.browser.newPage();
        try {
          await page.goto(`${site.server.origin}/index.html`);
          await lane(page);
          info = await page.evaluate((n) => (Reflect.get(globalThis, 'pixelprepLane') as LaneApi).start(n), name);
          if (!info.available) return;
          const t0 = Date.now();
          const rows = await page.evaluate(() => (Reflect.get(globalThis, 'pixelprepLane') as LaneApi).matrix());
          if (name === 'webgl') rows.push(...(await page.evaluate(() => (Reflect.get(globalThis, 'pixelprepLane') as LaneApi).extras())));
          for (const row of rows) results.set(row.name, row);
          const passed = rows.filter((r) => !r.thrown && r.error <= TOLERANCE && r.statsError <= STATS_TOLERANCE && r.leaked === 0).length;
          const worst = Math.max(...rows.map((r) => r.error));
          const worstStats = Math.max(...rows.map((r) => r.statsError));
          console.log(`chromium ${name} [${info.renderer}]: ${passed}/${rows.length} cases within tolerance, max error ${worst.toExponential(2)}, max stats error ${worstStats.toExponential(2)}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        } finally {
          await page.close();
        }
      }, 300_000);

      it(`starts in Chromium (${name})`, (ctx) => {
        if (!info.available && !REQUIRED.has(name)) ctx.skip(`no ${name} in this Chromium: ${info.reason}`);
        expect(info.reason, `${name} did not start`).toBeUndefined();
        expect(info.available).toBe(true);
      });

      const names = [...matrixCases().map((c) => c.name), ...(name === 'webgl' ? WEBGL_EXTRA_NAMES : [])];
      for (const caseName of names) {
        it(caseName, (ctx) => {
          if (!info.available) ctx.skip(`${name} unavailable: ${info.reason}`);
          const r = results.get(caseName);
          expect(r, 'the page reported no result').toBeDefined();
          if (!r) return;
          expect(r.thrown).toBeUndefined();
          expect(r.error).toBeLessThanOrEqual(TOLERANCE);
          expect(r.statsError).toBeLessThanOrEqual(STATS_TOLERANCE);
          expect(r.leaked).toBe(0);
        });
      }
    });
  }
}
