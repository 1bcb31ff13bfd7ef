/**
 * The GPU host report in Markdown: the GPU and its bandwidth, upload / kernel
 * / readback on webgpu, one side-by-side line per case (every implementation's
 * median), the detailed rows, and what the deadline or a failure left out.
 */
import { caseLabel } from './grid.js';
import type { GpuGridResult, PhaseRow } from './gpu_grid.js';
import { findRow } from './ratios.js';
import { formatNumber, machineLine, resultsTable } from './report_markdown.js';
import { HOST, type BenchRow, type Implementation } from './result.js';

/** The columns of the side-by-side table: (backend, implementation, heading). */
const COLUMNS: readonly [string, Implementation, string][] = [
  ['webgpu', 'scale', 'webgpu fused'],
  ['webgpu', 'opChain', 'webgpu op chain'],
  ['cpu', 'scale', 'cpu fused'],
  ['wasm', 'scale', 'wasm fused'],
  [HOST, 'scaleInto', 'host scaleInto'],
  ['cpu', 'opChain', 'tfjs cpu op chain'],
  ['tensorflow', 'scale', 'tensorflow'],
  ['tensorflow', 'opChain', 'tensorflow op chain'],
];

const cell = (row: BenchRow | undefined) => (row ? `${formatNumber(row.timing.median)} ms (${formatNumber(row.gbPerS)} GB/s)` : '–');
const fraction = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(v < 0.01 ? 2 : 1)} %`);

/** Upload, kernel and readback per case. */
export function phaseTable(phases: readonly PhaseRow[]): string[] {
  if (phases.length === 0) return ['No upload/kernel/readback splits: webgpu did not run or every case was skipped (see below).'];
  const lines = [
    '| case | kernel | upload ms | kernel ms | readback ms | total ms | upload GB/s | kernel GB/s | of bandwidth | readback GB/s |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const p of phases) {
    lines.push(
      `| ${caseLabel(p)} | ${p.kernel} | ${formatNumber(p.uploadMs)} | ${formatNumber(p.kernelMs)} | ${formatNumber(p.downloadMs)} | ${formatNumber(p.totalMs)} | ${formatNumber(p.uploadGBs)} | ${formatNumber(p.kernelGBs)} | ${fraction(p.ofBandwidth)} | ${formatNumber(p.downloadGBs)} |`,
    );
  }
  return lines;
}

/** One line per case: each implementation's median, and webgpu fused's speed-up over the tfjs cpu op chain. */
export function sideBySideTable(result: GpuGridResult): string[] {
  const present = COLUMNS.filter(([backend, impl]) => result.rows.some((r) => r.backend === backend && r.impl === impl));
  const lines = [`| case | ${present.map(([, , h]) => h).join(' | ')} | webgpu fused vs cpu op chain |`, `|---|${present.map(() => '---:|').join('')}---:|`];
  const seen = new Set<string>();
  for (const r of result.rows) {
    const label = caseLabel(r);
    if (seen.has(label)) continue;
    seen.add(label);
    const fused = findRow(result.rows, r, 'webgpu', 'scale');
    const chain = findRow(result.rows, r, 'cpu', 'opChain');
    const speedUp = fused && chain ? `${formatNumber(chain.timing.median / fused.timing.median)}×` : '–';
    lines.push(`| ${label} | ${present.map(([backend, impl]) => cell(findRow(result.rows, r, backend, impl))).join(' | ')} | ${speedUp} |`);
  }
  return lines;
}

/** The whole report. */
export function gpuMarkdownReport(result: GpuGridResult): string {
  const g = result.gpu;
  const bandwidth = g.bandwidthGBs === null ? 'unknown (not in the datasheet table; pass --bandwidth GBs)' : `${formatNumber(g.bandwidthGBs)} GB/s (${g.bandwidthSource}${g.bandwidthName ? `: ${g.bandwidthName}` : ''})`;
  const adapter = g.adapter ? `${g.adapter.vendor || '?'} ${g.adapter.architecture || '?'}, ${g.adapter.description || g.adapter.device || 'no description'}${g.adapter.software ? ', SOFTWARE adapter (proves correctness, not speed)' : ', hardware adapter'}` : 'none';
  const backends = result.machine.backends.map((b) => (b.available ? `${b.name} ✓` : `${b.name} ✗ (${b.reason ?? 'unavailable'})`)).join('; ');
  const s = result.settings;
  const lines = [
    `# pixelprep on a GPU host (${result.mode})`,
    '',
    `- GPU: ${g.name ?? 'not named by nvidia-smi'}; WebGPU adapter: ${adapter}`,
    `- Memory bandwidth compared with: ${bandwidth}`,
    `- Machine: ${machineLine(result.machine)}`,
    `- Backends: ${backends}`,
    `- Run: ${result.startedAt}, ${result.durationSeconds} s, deadline ${result.budget.deadline}${result.budget.finished ? '' : ' (partial: still running or stopped)'}; warm-up ${s.warmup}, up to ${s.repeats} timed runs or ${s.maxSeconds} s per measurement.`,
    '- Times are medians. GB/s counts bytes read plus bytes written (uint8 or float32 in, float32 out). `webgpu fused` is pixelprep `scale` on webgpu including the readback of its result; `op chain` is the naive tfjs chain (cast, moments, sub, div) on a tensor already on the backend; `host scaleInto` writes into a reused buffer. standardize computes per-channel batch statistics (on the device for webgpu).',
    '',
    '## Upload, kernel and readback on webgpu (normalize)',
    '',
    '"kernel GB/s" is the packed input plus the float32 output over the kernel time; "of bandwidth" compares it with the bandwidth above.',
    '',
    ...phaseTable(result.phases),
    '',
    '## Side by side',
    '',
    ...sideBySideTable(result),
    '',
    '## Every row',
    '',
    ...resultsTable(result.rows),
    '',
  ];
  if (result.skipped.length > 0 || result.notes.length > 0) {
    lines.push('## Skipped and notes', '');
    for (const sk of result.skipped) lines.push(`- skipped ${sk.backend} ${caseLabel(sk)}: ${sk.reason}`);
    for (const note of result.notes) lines.push(`- ${note}`);
    lines.push('');
  }
  return lines.join('\n');
}
