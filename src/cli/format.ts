/** Number and table formatting for the command's text output. */
import type { PixelStats } from '../core/pixel_stats.js';

/** A number with `digits` decimals, trailing zeros kept so columns line up. */
export function fixed(value: number, digits = 4): string {
  if (Number.isInteger(value) && Math.abs(value) >= 1e6) return String(value);
  const text = value.toFixed(digits);
  // "-0.0000" says nothing a reader needs: a value that rounds to zero prints as zero.
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** "[a, b, c]" with `digits` decimals. */
export const list = (values: readonly number[], digits = 4): string => `[${values.map((v) => fixed(v, digits)).join(', ')}]`;

/** Rows of cells as aligned text: the first column left-aligned, the others right-aligned (numbers) or left-aligned (text). */
export function table(rows: readonly (readonly string[])[], align: 'numbers' | 'text' = 'numbers', indent = '  '): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const pad = (cell: string, c: number) => (c === 0 || align === 'text' ? cell.padEnd(widths[c]) : cell.padStart(widths[c]));
  return rows.map((r) => (indent + r.map(pad).join('  ')).trimEnd()).join('\n');
}

/** Per-channel and global statistics as a table. */
export function statsTable(stats: PixelStats, digits = 4): string {
  const rows: string[][] = [['channel', 'mean', 'std', 'min', 'max']];
  for (let c = 0; c < stats.channels; c++) rows.push([String(c), fixed(stats.mean[c], digits), fixed(stats.std[c], digits), fixed(stats.min[c], digits), fixed(stats.max[c], digits)]);
  const g = stats.global;
  if (stats.channels > 1) rows.push(['global', fixed(g.mean, digits), fixed(g.std, digits), fixed(g.min, digits), fixed(g.max, digits)]);
  return table(rows);
}

/** "[224,224,3]" */
export const shapeText = (shape: readonly number[]): string => `[${shape.join(',')}]`;
