/**
 * The browser demo (web/demo/) in Chromium on a sample photo: the page must
 * render real numbers — its statistics before and after scaling equal a
 * float64 reference of the same photo (decoded here with sharp) to 1e-6 —
 * and it takes the screenshot in docs/images/demo-web.png
 * (written there when PIXELPREP_SCREENSHOT=1, else to a temporary folder).
 */
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserLaneGate, openPage, ROOT, type OpenPage } from './harness.js';

const SAMPLE = 'samples/coffee.png';
const TOLERANCE = 1e-6;

interface Summary {
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
}

/** Two-pass float64 statistics per channel of interleaved RGB values. */
function summary(values: ArrayLike<number>): Summary {
  const out: Summary = { mean: [], std: [], min: [], max: [] };
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    let n = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = c; i < values.length; i += 3, n++) {
      sum += values[i];
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
    }
    const mean = sum / n;
    let ss = 0;
    for (let i = c; i < values.length; i += 3) ss += (values[i] - mean) ** 2;
    out.mean.push(mean);
    out.std.push(Math.sqrt(ss / n));
    out.min.push(min);
    out.max.push(max);
  }
  return out;
}

/** The largest relative difference between the page's numbers and the reference's. */
function worstDifference(page: Map<string, number>, prefix: 'before' | 'after', ref: Summary): number {
  let worst = 0;
  for (const field of ['mean', 'std', 'min', 'max'] as const) {
    for (let c = 0; c < 3; c++) {
      const shown = page.get(`${prefix}.${field}.${c}`);
      const e = shown === undefined ? Infinity : Math.abs(shown - ref[field][c]) / Math.max(1, Math.abs(ref[field][c]));
      worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
    }
  }
  return worst;
}

const gate = browserLaneGate();

if (gate) {
  describe('browser demo (Chromium)', () => it.skip(`skipped: ${gate}`, () => undefined));
} else {
  describe('browser demo (Chromium)', () => {
    let site: OpenPage;
    let rgb: Uint8Array;
    beforeAll(async () => {
      site = await openPage('web/demo/main.ts', await readFile(`${ROOT}web/demo/index.html`, 'utf8'));
      await site.page.setViewport({ width: 1400, height: 640 });
      rgb = new Uint8Array(await sharp(`${ROOT}${SAMPLE}`).removeAlpha().raw().toBuffer());
    }, 120_000);
    afterAll(() => site?.close());

    async function runPage(query: string): Promise<{ numbers: Map<string, number>; info: string }> {
      await site.page.goto(`${site.server.origin}/index.html?sample=/${SAMPLE}&${query}`);
      await site.page.waitForFunction("['done', 'error'].includes(document.body.dataset.state)", { timeout: 120_000 });
      const error = await site.page.$eval('#error', (e) => e.textContent ?? '');
      expect(error, site.log.join('\n')).toBe('');
      const cells = await site.page.$$eval('[data-stat]', (els) => els.map((e) => [e.getAttribute('data-stat') ?? '', Number(e.getAttribute('data-value'))] as const));
      return { numbers: new Map(cells), info: await site.page.$eval('#run-info', (e) => e.textContent ?? '') };
    }

    it('standardize on webgl: statistics before and after equal a float64 reference of the photo; screenshot', async () => {
      const { numbers, info } = await runPage('method=standardize&per=channel&backend=webgl');
      const before = summary(rgb);
      const scaled = Float64Array.from(rgb, (v, i) => (v - before.mean[i % 3]) / before.std[i % 3]);
      expect(worstDifference(numbers, 'before', before)).toBeLessThanOrEqual(TOLERANCE);
      expect(worstDifference(numbers, 'after', summary(scaled))).toBeLessThanOrEqual(TOLERANCE);
      expect(info).toMatch(/^240×160 RGB on webgl — .+: \d+\.\d ms/);
      expect(await site.page.$eval('#scaled-caption', (e) => e.textContent)).toMatch(/round trip exact/);
      const path = process.env.PIXELPREP_SCREENSHOT === '1' ? `${ROOT}docs/images/demo-web.png` : join(tmpdir(), `pixelprep-demo-${process.pid}.png`);
      await site.page.screenshot({ path, fullPage: true });
      expect((await stat(path)).size).toBeGreaterThan(20_000);
    });

    it("the Keras 'caffe' preset on webgl: BGR order and ImageNet means subtracted, as a float64 loop computes", async () => {
      const { numbers } = await runPage('method=preset:caffe&backend=webgl');
      const means = [103.939, 116.779, 123.68];
      const scaled = Float64Array.from(rgb, (_, i) => rgb[i - (i % 3) + (2 - (i % 3))] - means[i % 3]);
      expect(worstDifference(numbers, 'before', summary(rgb))).toBeLessThanOrEqual(TOLERANCE);
      expect(worstDifference(numbers, 'after', summary(scaled))).toBeLessThanOrEqual(TOLERANCE);
    });

    it('min-max per global on cpu gives the same photo statistics', async () => {
      const { numbers, info } = await runPage('method=min-max&per=global&backend=cpu');
      expect(info).toMatch(/ on cpu: /);
      expect(worstDifference(numbers, 'before', summary(rgb))).toBeLessThanOrEqual(TOLERANCE);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of rgb) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      expect(worstDifference(numbers, 'after', summary(Float64Array.from(rgb, (v) => (v - lo) / (hi - lo))))).toBeLessThanOrEqual(TOLERANCE);
    });
  });
}
