/**
 * The Markdown report: the machine, the speed targets, and one table row per
 * measured row with its ratios to the baselines of the same run.
 */
import { BENCH_METHODS } from './grid.js';
import type { MachineInfo } from './machine.js';
import { IMPLEMENTATIONS, type BenchResult, type BenchRow, type TargetCheck } from './result.js';

const BACKEND_ORDER = ['host', 'cpu', 'wasm', 'webgpu', 'tensorflow'];

/** A number with about three significant digits (no exponent for everyday sizes). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

const ratio = (value: number | undefined, suffix: string) => (value === undefined ? '' : `${formatNumber(value)}${suffix}`);

/** Rows in reading order: dtype, image size, batch, method, backend, implementation. */
export function sortRows(rows: readonly BenchRow[]): BenchRow[] {
  const rank = (list: readonly string[], value: string) => {
    const i = list.indexOf(value);
    return i < 0 ? list.length : i;
  };
  return [...rows].sort(
    (a, b) =>
      a.dtype.localeCompare(b.dtype) ||
      a.size - b.size ||
      a.batch - b.batch ||
      rank(BENCH_METHODS, a.method) - rank(BENCH_METHODS, b.method) ||
      rank(BACKEND_ORDER, a.backend) - rank(BACKEND_ORDER, b.backend) ||
      rank(IMPLEMENTATIONS, a.impl) - rank(IMPLEMENTATIONS, b.impl),
  );
}

/** One line naming the machine, for reports and the README. */
export function machineLine(m: MachineInfo): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}; tfjs-core ${m.tfjs}; WebAssembly SIMD ${m.wasmSimd ? 'yes' : 'no'}; numpy ${m.numpy ?? 'not run'}`;
}

function backendLine(m: MachineInfo): string {
  return m.backends
    .map((b) => (b.available ? `${b.name} ✓${b.adapter ? ` (${b.adapter})` : ''}` : `${b.name} ✗ (${b.reason ?? 'unavailable'})`))
    .join('; ');
}

function targetTable(targets: readonly TargetCheck[]): string[] {
  const lines = ['| target | measured | goal | met |', '|---|---:|---:|:-:|'];
  for (const t of targets) {
    const goal = `${t.sense === 'atLeast' ? '≥' : '≤'} ${t.goal}`;
    const met = t.met === null ? 'not measured' : t.met ? 'yes' : 'no';
    lines.push(`| ${t.name} | ${t.value === null ? '–' : formatNumber(t.value)} | ${goal} | ${met} |`);
  }
  return lines;
}

/** The results table alone (also used by the CLI to print). */
export function resultsTable(rows: readonly BenchRow[]): string[] {
  const lines = [
    '| backend | method | batch | image | dtype | impl | median ms | ± ms | GB/s | images/s | × op chain | × JS loop | × numpy | of memcpy | alloc share |',
    '|---|---|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of sortRows(rows)) {
    lines.push(
      `| ${r.backend} | ${r.method} | ${r.batch} | ${r.size}×${r.size} | ${r.dtype} | ${r.impl} | ${formatNumber(r.timing.median)} | ${formatNumber(r.timing.iqr)} | ${formatNumber(r.gbPerS)} | ${formatNumber(r.imagesPerS)} | ${ratio(r.ratios.opChain, '×')} | ${ratio(r.ratios.jsLoop, '×')} | ${ratio(r.ratios.numpy, '×')} | ${ratio(r.ratios.memcpy, '')} | ${ratio(r.ratios.alloc, '')} |`,
    );
  }
  return lines;
}

/** The full Markdown report. */
export function markdownReport(result: BenchResult): string {
  const s = result.settings;
  const lines = [
    `# pixelprep benchmark (${result.mode})`,
    '',
    `- Machine: ${machineLine(result.machine)}`,
    `- Backends: ${backendLine(result.machine)}`,
    `- Run: ${result.startedAt}, ${result.durationSeconds} s; warm-up ${s.warmup}, up to ${s.repeats} timed runs or ${s.maxSeconds} s per measurement; cases over ${s.maxBytes / 1e6} MB skipped.`,
    '- Times are medians, ± the interquartile range; the implementations of a case run round-robin (host rows together; `scale` and the op chain together on each backend). GB/s counts bytes read plus bytes written. Ratios compare rows of this run: × op chain, × JS loop and × numpy are speed-ups (baseline time / pixelprep time; scaleInto is compared with the cpu op chain); "of memcpy" is the fraction of memcpy bandwidth.',
    '- `scale` allocates its output and returns a tensor; `scaleInto` writes into a reused Float32Array from `createOutputBuffer` (the SIMD kernel writes it directly), `scaleIntoArray` into an ordinary reused Float32Array; `opChain` is the naive tfjs chain (cast, moments, sub, div) on an int32/float32 tensor already on the backend; `alloc` allocates a fresh float32 output and touches it once, the floor of any call that returns new memory ("alloc share": the part of `scale`\'s time that floor alone takes).',
    '',
    '## Targets: [32,224,224,3] uint8 → float32',
    '',
    ...targetTable(result.targets),
    '',
    '## Results',
    '',
    ...resultsTable(result.rows),
    '',
  ];
  if (result.notes.length > 0 || result.skipped.length > 0) {
    lines.push('## Notes', '');
    for (const note of result.notes) lines.push(`- ${note}`);
    if (result.skipped.length > 0) {
      const reasons = [...new Set(result.skipped.map((s) => s.reason))];
      lines.push(`- ${result.skipped.length} cases skipped (${reasons.join('; ')}).`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
