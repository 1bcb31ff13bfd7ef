/**
 * The SVG chart: throughput (GB/s, bytes in + out) against batch size, one
 * panel per image size, one line per backend for pixelprep's `scale` and the
 * naive op chain, plus scaleInto and memcpy on the host. No dependencies:
 * plain SVG text.
 */
import type { BenchDtype, BenchMethod } from './grid.js';
import { HOST, type BenchResult, type BenchRow, type Implementation } from './result.js';

export interface ChartOptions {
  method?: BenchMethod;
  dtype?: BenchDtype;
}

interface Series {
  label: string;
  color: string;
  dash: string;
  points: { batch: number; size: number; value: number }[];
}

const PANEL_W = 380;
const PANEL_H = 260;
const MARGIN = { left: 56, right: 16, top: 40, bottom: 44 };
const LEGEND_ROW = 18;
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];

/** Escapes text for SVG/XML. */
export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const SERIES_STYLE: Readonly<Record<Implementation, { dash: string; name: string }>> = {
  scale: { dash: '', name: 'pixelprep scale' },
  scaleInto: { dash: '', name: 'pixelprep scaleInto' },
  scaleIntoArray: { dash: '4 2', name: 'pixelprep scaleInto (ordinary array)' },
  opChain: { dash: '6 4', name: 'tfjs op chain' },
  jsLoop: { dash: '2 3', name: 'plain JS loop' },
  memcpy: { dash: '1 3', name: 'memcpy (floor)' },
  alloc: { dash: '1 2', name: 'fresh allocation' },
  numpy: { dash: '8 3 2 3', name: 'numpy' },
};

function seriesOf(rows: readonly BenchRow[]): Series[] {
  const keys: string[] = [];
  for (const r of rows) {
    const key = `${r.backend}|${r.impl}`;
    if (!keys.includes(key)) keys.push(key);
  }
  return keys.map((key, i) => {
    const [backend, impl] = key.split('|') as [string, Implementation];
    const style = SERIES_STYLE[impl];
    const points = rows
      .filter((r) => r.backend === backend && r.impl === impl)
      .map((r) => ({ batch: r.batch, size: r.size, value: r.gbPerS }))
      .sort((a, b) => a.batch - b.batch);
    return {
      label: backend === HOST ? style.name : `${style.name} (${backend})`,
      color: impl === 'memcpy' ? '#555555' : PALETTE[i % PALETTE.length],
      dash: style.dash,
      points,
    };
  });
}

/** Rounds up to 1, 2 or 5 × a power of ten (a tidy axis maximum). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function panel(rows: readonly BenchRow[], size: number, all: readonly Series[], x0: number): string[] {
  const batches = [...new Set(rows.map((r) => r.batch))].sort((a, b) => a - b);
  const series = all.map((s) => ({ ...s, points: s.points.filter((p) => p.size === size) }));
  const top = niceCeiling(Math.max(...series.flatMap((s) => s.points.map((p) => p.value)), 0) * 1.05);
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  const xOf = (batch: number) => x0 + MARGIN.left + (batches.length === 1 ? plotW / 2 : (batches.indexOf(batch) / (batches.length - 1)) * plotW);
  const yOf = (value: number) => MARGIN.top + plotH - (value / top) * plotH;
  const out = [
    `<text x="${x0 + PANEL_W / 2}" y="24" text-anchor="middle" font-weight="bold">${size}×${size} images</text>`,
    `<rect x="${x0 + MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const value = (top * i) / 4;
    const y = yOf(value);
    out.push(`<line x1="${x0 + MARGIN.left}" x2="${x0 + MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${x0 + MARGIN.left - 6}" y="${y + 4}" text-anchor="end">${Number(value.toPrecision(3))}</text>`);
  }
  for (const b of batches) {
    out.push(`<text x="${xOf(b)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${b}</text>`);
  }
  out.push(`<text x="${x0 + MARGIN.left + plotW / 2}" y="${PANEL_H - 8}" text-anchor="middle">batch size</text>`);
  out.push(`<text transform="translate(${x0 + 14},${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">GB/s</text>`);
  for (const s of series) {
    const pts = s.points;
    if (pts.length === 0) continue;
    const path = pts.map((p) => `${xOf(p.batch).toFixed(1)},${yOf(p.value).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    for (const p of pts) out.push(`<circle cx="${xOf(p.batch).toFixed(1)}" cy="${yOf(p.value).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
  }
  return out;
}

/**
 * An SVG chart of GB/s against batch size for one method and dtype (default:
 * normalize, uint8), one panel per image size measured.
 */
export function svgChart(result: BenchResult, options: ChartOptions = {}): string {
  const method = options.method ?? 'normalize';
  const dtype = options.dtype ?? 'uint8';
  const rows = result.rows.filter((r) => r.method === method && r.dtype === dtype && r.impl !== 'numpy' && r.impl !== 'jsLoop' && r.impl !== 'alloc');
  const sizes = [...new Set(rows.map((r) => r.size))].sort((a, b) => a - b);
  const series = seriesOf(rows);
  const width = Math.max(1, sizes.length) * PANEL_W;
  const legendTop = PANEL_H + 10;
  const height = legendTop + series.length * LEGEND_ROW + 24;
  const body: string[] = [];
  sizes.forEach((size, i) => body.push(...panel(rows.filter((r) => r.size === size), size, series, i * PANEL_W)));
  if (sizes.length === 0) body.push(`<text x="${width / 2}" y="${PANEL_H / 2}" text-anchor="middle">no ${method} ${dtype} rows measured</text>`);
  series.forEach((s, i) => {
    const y = legendTop + i * LEGEND_ROW + 12;
    body.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + 28}" y1="${y - 4}" y2="${y - 4}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    body.push(`<text x="${MARGIN.left + 36}" y="${y}">${escapeXml(s.label)}</text>`);
  });
  const title = `${method}, ${dtype} → float32: throughput vs batch size (${result.machine.cpu}, ${result.machine.cores} cores)`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 20}" viewBox="0 0 ${width} ${height + 20}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="8" y="${height + 12}" fill="#444">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
