import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchCase } from '../../src/bench/grid.js';
import type { MachineInfo } from '../../src/bench/machine.js';
import { attachRatios, checkTargets } from '../../src/bench/ratios.js';
import { formatNumber, markdownReport, sortRows } from '../../src/bench/report_markdown.js';
import { escapeXml, niceCeiling, svgChart } from '../../src/bench/report_svg.js';
import type { BenchResult, BenchRow, Implementation } from '../../src/bench/result.js';
import { REPORT_FILES, writeReports } from '../../src/bench/write_reports.js';
import { PixelprepError } from '../../src/core/errors.js';

const MACHINE: MachineInfo = {
  cpu: 'Test CPU <9000>',
  cores: 2,
  memoryGiB: 24,
  os: 'Linux test x64',
  node: 'v20.0.0',
  tfjs: '4.22.0',
  wasmSimd: true,
  backends: [
    { name: 'cpu', available: true },
    { name: 'wasm', available: true },
    { name: 'webgpu', available: true, adapter: 'mesa llvmpipe (software fallback adapter)' },
    { name: 'tensorflow', available: false, reason: '@tensorflow/tfjs-node is not installed' },
  ],
  numpy: '2.4.6',
};

/** A row with a given median; GB/s and images/s follow from the case's bytes. */
function row(c: BenchCase, backend: string, impl: Implementation, ms: number, bytes?: { bytesIn: number; bytesOut: number }): BenchRow {
  const values = c.batch * c.size * c.size * 3;
  const b = bytes ?? { bytesIn: values * (c.dtype === 'uint8' ? 1 : 4), bytesOut: c.method === 'stats' ? 0 : values * 4 };
  return {
    ...c,
    backend,
    impl,
    ...b,
    timing: { median: ms, min: ms * 0.9, max: ms * 1.2, iqr: ms * 0.1, samples: 5 },
    gbPerS: (b.bytesIn + b.bytesOut) / (ms / 1000) / 1e9,
    imagesPerS: c.batch / (ms / 1000),
    ratios: {},
  };
}

const normalize32: BenchCase = { method: 'normalize', batch: 32, size: 224, dtype: 'uint8' };
const normalize1: BenchCase = { ...normalize32, batch: 1 };
const standardize32: BenchCase = { ...normalize32, method: 'standardize' };
const OUT = 32 * 224 * 224 * 3 * 4;

function sampleRows(): BenchRow[] {
  return [
    row(normalize32, 'host', 'scaleInto', 2),
    row(normalize32, 'host', 'jsLoop', 10),
    row(normalize32, 'host', 'memcpy', 1.6, { bytesIn: OUT, bytesOut: OUT }),
    row(normalize32, 'host', 'alloc', 50, { bytesIn: 0, bytesOut: OUT }),
    row(normalize32, 'host', 'numpy', 3),
    row(normalize32, 'cpu', 'scale', 4),
    row(normalize32, 'cpu', 'opChain', 160),
    row(normalize32, 'wasm', 'scale', 100),
    row(normalize32, 'wasm', 'opChain', 120),
    row(standardize32, 'cpu', 'scale', 9),
    row(standardize32, 'host', 'scaleInto', 6),
    row(normalize1, 'cpu', 'scale', 0.2),
    row(normalize1, 'cpu', 'opChain', 5),
    row(normalize1, 'wasm', 'scale', 3),
  ];
}

function sampleResult(): BenchResult {
  const rows = attachRatios(sampleRows());
  return {
    format: 'pixelprep-bench',
    version: 1,
    mode: 'quick',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationSeconds: 12.5,
    machine: MACHINE,
    settings: { warmup: 1, repeats: 5, maxSeconds: 0.25, maxBytes: 256e6 },
    rows,
    skipped: [{ ...normalize32, batch: 256, size: 512, backend: 'all', reason: 'over the 256 MB cap on input + output bytes' }],
    targets: checkTargets(rows),
    notes: ["backend 'tensorflow' skipped: @tensorflow/tfjs-node is not installed"],
  };
}

describe('ratios', () => {
  it('compares pixelprep rows with the baselines of the same case (speed-ups and bandwidth fraction)', () => {
    const rows = attachRatios(sampleRows());
    const cpu = rows.find((r) => r.backend === 'cpu' && r.impl === 'scale' && r.batch === 32 && r.method === 'normalize');
    expect(cpu?.ratios.opChain).toBeCloseTo(160 / 4, 12);
    expect(cpu?.ratios.jsLoop).toBeCloseTo(10 / 4, 12);
    expect(cpu?.ratios.numpy).toBeCloseTo(3 / 4, 12);
    expect(cpu?.ratios.alloc).toBeCloseTo(50 / 4, 12);
    // scale moves 4.8 MB in + 19.3 MB out in 4 ms; memcpy moves 2 × 19.3 MB in 1.6 ms.
    const ours = (OUT / 4 + OUT) / 0.004;
    const floor = (2 * OUT) / 0.0016;
    expect(cpu?.ratios.memcpy).toBeCloseTo(ours / floor, 12);
    const into = rows.find((r) => r.impl === 'scaleInto' && r.method === 'normalize');
    expect(into?.ratios.opChain).toBeCloseTo(160 / 2, 12); // scaleInto is compared with the cpu op chain
    expect(into?.ratios.alloc).toBeUndefined();
    const wasm = rows.find((r) => r.backend === 'wasm' && r.impl === 'scale' && r.batch === 32);
    expect(wasm?.ratios.opChain).toBeCloseTo(120 / 100, 12);
    // Baselines carry no ratios; a case without baselines gets only the ones it has.
    expect(rows.find((r) => r.impl === 'opChain')?.ratios).toEqual({});
    expect(rows.find((r) => r.backend === 'wasm' && r.batch === 1)?.ratios).toEqual({});
  });

  it('checks each speed target against the [32,224,224,3] uint8 rows', () => {
    const targets = checkTargets(attachRatios(sampleRows()));
    const byName = (fragment: string) => targets.find((t) => t.name.includes(fragment));
    expect(byName('fraction of memcpy')?.value).toBeCloseTo(((OUT / 4 + OUT) / 0.002) / ((2 * OUT) / 0.0016), 12);
    expect(byName('fraction of memcpy')?.met).toBe(true); // 0.5 of memcpy: 0.625 here
    expect(byName('cpu op chain')).toMatchObject({ value: 40, goal: 30, met: true });
    expect(byName('wasm op chain')).toMatchObject({ value: 30, goal: 20, met: true });
    expect(byName('numpy')).toMatchObject({ value: 0.75, goal: 3, met: false });
    expect(byName('standardize (batch stats) time')).toMatchObject({ value: 9 / 4, goal: 2.5, sense: 'atMost', met: true });
    expect(byName('scaleInto standardize')).toMatchObject({ value: 3, met: false });
    const without = checkTargets([]);
    expect(without.every((t) => t.value === null && t.met === null)).toBe(true);
  });
});

describe('markdown report', () => {
  it('shows the machine, the targets and one table row per measured row, in reading order', () => {
    const md = markdownReport(sampleResult());
    expect(md).toContain('# pixelprep benchmark (quick)');
    expect(md).toContain('Test CPU <9000>, 2 cores, 24 GiB');
    expect(md).toContain('numpy 2.4.6');
    expect(md).toContain('webgpu ✓ (mesa llvmpipe (software fallback adapter))');
    expect(md).toContain('tensorflow ✗ (@tensorflow/tfjs-node is not installed)');
    expect(md).toContain('| scale normalize vs tfjs cpu op chain (×) | 40.0 | ≥ 30 | yes |');
    expect(md).toContain('| scale normalize vs numpy tutorial code (×) | 0.75 | ≥ 3 | no |');
    expect(md).toContain('| cpu | normalize | 32 | 224×224 | uint8 | scale | 4.00 | 0.40 |');
    expect(md).toContain('| 40.0× | 2.50× | 0.75× |');
    const tableRows = md.split('\n').filter((l) => /^\| (host|cpu|wasm) \|/.test(l));
    expect(tableRows).toHaveLength(sampleRows().length);
    expect(md).toContain('1 cases skipped (over the 256 MB cap on input + output bytes)');
    expect(md).toContain("backend 'tensorflow' skipped");
  });

  it('sorts by dtype, size, batch, method, backend (host first) and implementation', () => {
    const sorted = sortRows(sampleRows());
    expect(sorted[0]).toMatchObject({ batch: 1, backend: 'cpu', impl: 'scale' });
    const batch32 = sorted.filter((r) => r.batch === 32 && r.method === 'normalize').map((r) => `${r.backend}/${r.impl}`);
    expect(batch32).toEqual(['host/scaleInto', 'host/jsLoop', 'host/memcpy', 'host/alloc', 'host/numpy', 'cpu/scale', 'cpu/opChain', 'wasm/scale', 'wasm/opChain']);
  });

  it('formats numbers to about three significant digits', () => {
    expect(formatNumber(1234.5)).toBe('1,235');
    expect(formatNumber(123.4)).toBe('123');
    expect(formatNumber(12.34)).toBe('12.3');
    expect(formatNumber(1.234)).toBe('1.23');
    expect(formatNumber(0.01234)).toBe('0.012');
    expect(formatNumber(Number.NaN)).toBe('–');
  });
});

describe('svg chart', () => {
  it('draws one panel per image size and one line per (backend, implementation) series', () => {
    const svg = svgChart(sampleResult());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('224×224 images');
    // Series: scaleInto, memcpy (host, batch 32 only), scale/opChain on cpu and wasm.
    for (const label of ['pixelprep scale (cpu)', 'pixelprep scale (wasm)', 'tfjs op chain (cpu)', 'tfjs op chain (wasm)', 'pixelprep scaleInto', 'memcpy (floor)']) {
      expect(svg).toContain(`>${label}</text>`);
    }
    expect(svg).not.toContain('numpy');
    expect(svg.match(/<polyline /g)).toHaveLength(6);
    expect(svg).toContain('Test CPU &lt;9000&gt;'); // escaped
    // Every opened element is closed or self-closing.
    expect(svg.match(/<text/g)?.length).toBe(svg.match(/<\/text>/g)?.length);
  });

  it('says so when nothing was measured for the chart', () => {
    expect(svgChart({ ...sampleResult(), rows: [] })).toContain('no normalize uint8 rows measured');
  });

  it('picks tidy axis maxima and escapes XML', () => {
    expect([0.7, 1, 1.2, 3, 7, 42, 0].map(niceCeiling)).toEqual([1, 1, 2, 5, 10, 50, 1]);
    expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
  });
});

describe('writeReports', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pixelprep-bench-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes JSON (every row), Markdown and SVG into a folder it creates, leaving no temporary files', async () => {
    const result = sampleResult();
    const target = join(dir, 'nested', 'results');
    const paths = await writeReports(result, target);
    expect(paths.json).toBe(join(target, REPORT_FILES.json));
    expect(JSON.parse(await readFile(paths.json, 'utf8'))).toEqual(result);
    expect(await readFile(paths.markdown, 'utf8')).toBe(markdownReport(result));
    expect(await readFile(paths.svg, 'utf8')).toBe(svgChart(result));
    expect((await readdir(target)).sort()).toEqual(['latest.json', 'latest.md', 'latest.svg']);
  });

  it('fails with E_IO when the folder cannot be created', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const error = await writeReports(sampleResult(), join(file, 'sub')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PixelprepError);
    expect((error as PixelprepError).code).toBe('E_IO');
    expect((error as PixelprepError).message).toContain(join(file, 'sub'));
  });
});
