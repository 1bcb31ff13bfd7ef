/**
 * `pixelprep bench --browser`: the fused kernel against the tfjs op chain in
 * headless Chromium on webgl (and webgpu where Chromium has an adapter), end
 * to end on a [32,224,224,3] uint8 batch, written to browser.json and
 * browser.md beside the other results with the renderer string.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../node/atomic_write.js';
import { summarize, type Timing } from '../measure.js';
import type { BrowserBenchReply, BrowserBenchRequest } from './bench_page.js';
import { bundleForBrowser } from './bundle.js';
import { launchChromium } from './chromium.js';
import { startStaticServer } from './static_server.js';

export interface BrowserBenchRow {
  backend: string;
  renderer: string;
  shape: number[];
  fused: Timing;
  opChain: Timing;
  /** Reading back an output already on the GPU: the part of both times neither kernel can shorten. */
  readback: Timing;
  /** opChain median / fused median (same page, same run). */
  speedup: number;
  /** Best over best. */
  speedupBest: number;
  agreement: number;
}

export interface BrowserBenchResult {
  format: 'pixelprep-browser-bench';
  version: 1;
  startedAt: string;
  chromium: string;
  settings: { warmup: number; repeats: number };
  rows: BrowserBenchRow[];
  notes: string[];
}

export interface BrowserBenchOptions {
  shape?: number[];
  warmup?: number;
  repeats?: number;
  backends?: BrowserBenchRequest['backend'][];
  log?: (line: string) => void;
}

/** The page's source: the compiled .js beside this file (dist) or the .ts (source tree). */
function pageEntry(): string {
  const js = fileURLToPath(new URL('./bench_page.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./bench_page.ts', import.meta.url));
}

/** Runs the browser benchmark and returns its result (nothing written). */
export async function runBrowserBench(options: BrowserBenchOptions = {}): Promise<BrowserBenchResult> {
  const { shape = [32, 224, 224, 3], warmup = 2, repeats = 7, backends = ['webgl', 'webgpu'], log = () => undefined } = options;
  const startedAt = new Date().toISOString();
  const server = await startStaticServer({ files: { '/index.html': '<!doctype html><script type="module" src="/app.js"></script>', '/app.js': await bundleForBrowser(pageEntry()) } });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  const rows: BrowserBenchRow[] = [];
  const notes: string[] = [];
  try {
    for (const backend of backends) {
      // A fresh page per backend: each gets its own GL context / device and tfjs engine.
      const page = await browser.newPage();
      await page.goto(`${server.origin}/index.html`);
      await page.waitForFunction(() => 'pixelprepBench' in globalThis, { timeout: 60_000 });
      const request: BrowserBenchRequest = { backend, shape };
      const api = 'pixelprepBench';
      const reply: BrowserBenchReply = await page.evaluate((r, name) => Reflect.get(globalThis, name).prepare(r), request, api);
      if (!reply.available) {
        await page.close();
        notes.push(`${backend} skipped: ${reply.reason ?? 'unknown'}`);
        log(`${backend}: skipped (${reply.reason})`);
        continue;
      }
      const runs = { fused: [] as number[], opChain: [] as number[], readback: [] as number[] };
      for (let i = 0; i < warmup + repeats; i++) {
        // Alternating, so that drift on a shared machine hits both alike; the first `warmup` rounds are not kept.
        const round = { fused: 0, opChain: 0, readback: 0 };
        for (const which of ['fused', 'opChain', 'readback'] as const) {
          round[which] = await page.evaluate((w, name) => Reflect.get(globalThis, name).time(w), which, api);
          if (i >= warmup) runs[which].push(round[which]);
        }
        log(`${backend}: round ${i + 1}/${warmup + repeats}${i < warmup ? ' (warm-up)' : ''}: fused ${round.fused.toFixed(0)} ms, op chain ${round.opChain.toFixed(0)} ms, readback ${round.readback.toFixed(0)} ms`);
      }
      await page.close();
      const fused = summarize(runs.fused);
      const opChain = summarize(runs.opChain);
      const row = { backend, renderer: reply.renderer ?? '', shape, fused, opChain, readback: summarize(runs.readback), speedup: opChain.median / fused.median, speedupBest: opChain.min / fused.min, agreement: reply.agreement ?? NaN };
      rows.push(row);
      log(`${backend} [${row.renderer}]: fused ${fused.median.toFixed(1)} ms, op chain ${opChain.median.toFixed(1)} ms, ×${row.speedup.toFixed(2)}`);
    }
    return { format: 'pixelprep-browser-bench', version: 1, startedAt, chromium: await browser.version(), settings: { warmup, repeats }, rows, notes };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The result as a Markdown table. */
export function browserBenchMarkdown(r: BrowserBenchResult): string {
  const ms = (t: Timing) => `${t.median.toFixed(1)} (${t.min.toFixed(1)}–${t.max.toFixed(1)})`;
  const lines = [
    `# pixelprep in Chromium (${r.startedAt})`,
    '',
    `${r.chromium}, headless; uint8 [${r.rows[0]?.shape.join(',') ?? ''}] → float32, per-channel standardization, end to end (upload → values read back).`,
    `Warm-up ${r.settings.warmup}, ${r.settings.repeats} runs each, alternating. Milliseconds: median (min–max).`,
    '',
    '| backend | renderer | pixelprep fused | tfjs op chain | speed-up (median) | speed-up (best) | readback alone | max abs diff |',
    '|---|---|---|---|---|---|---|---|',
    ...r.rows.map((row) => `| ${row.backend} | ${row.renderer} | ${ms(row.fused)} | ${ms(row.opChain)} | ×${row.speedup.toFixed(2)} | ×${row.speedupBest.toFixed(2)} | ${ms(row.readback)} | ${row.agreement.toExponential(1)} |`),
    '',
    '"readback alone" is data() of an output already computed on the GPU: both paths pay it, so it bounds the end-to-end speed-up.',
    ...r.notes.map((n) => `\n${n}`),
    '',
  ];
  return lines.join('\n');
}

/** Writes browser.json and browser.md into `dir`; returns their paths. */
export async function writeBrowserBench(r: BrowserBenchResult, dir: string): Promise<{ json: string; markdown: string }> {
  await mkdir(dir, { recursive: true });
  const paths = { json: join(dir, 'browser.json'), markdown: join(dir, 'browser.md') };
  await writeFileAtomic(paths.json, `${JSON.stringify(r, null, 2)}\n`);
  await writeFileAtomic(paths.markdown, browserBenchMarkdown(r));
  return paths;
}
