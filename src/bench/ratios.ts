/**
 * Ratios between rows of one run and the speed targets they are checked
 * against. Only ratios measured side by side mean anything on a shared machine.
 */
import { TARGET_CASE, type BenchCase } from './grid.js';
import { HOST, type Baseline, type BenchRow, type Implementation, type TargetCheck } from './result.js';

const sameCase = (a: BenchCase, b: BenchCase) => a.method === b.method && a.batch === b.batch && a.size === b.size && a.dtype === b.dtype;

/** The row for (backend, impl) of the same case as `c`, if measured. */
export function findRow(rows: readonly BenchRow[], c: BenchCase, backend: string, impl: Implementation): BenchRow | undefined {
  return rows.find((r) => r.backend === backend && r.impl === impl && sameCase(r, c));
}

/**
 * Fills `ratios` on pixelprep rows (scale, scaleInto): speed-up over the op
 * chain on the same backend (cpu for scaleInto), the JS loop and numpy, and the
 * fraction of memcpy bandwidth. Returns the same rows.
 */
export function attachRatios(rows: BenchRow[]): BenchRow[] {
  for (const row of rows) {
    if (row.impl !== 'scale' && row.impl !== 'scaleInto' && row.impl !== 'scaleIntoArray') continue;
    const chainBackend = row.backend === HOST ? 'cpu' : row.backend;
    const speedUp = (baseline: BenchRow | undefined) => (baseline ? baseline.timing.median / row.timing.median : undefined);
    const ratios: Partial<Record<Baseline, number>> = {
      opChain: speedUp(findRow(rows, row, chainBackend, 'opChain')),
      jsLoop: speedUp(findRow(rows, row, HOST, 'jsLoop')),
      numpy: speedUp(findRow(rows, row, HOST, 'numpy')),
    };
    const memcpy = findRow(rows, row, HOST, 'memcpy');
    if (memcpy) ratios.memcpy = row.gbPerS / memcpy.gbPerS;
    const alloc = findRow(rows, row, HOST, 'alloc');
    if (alloc && row.impl === 'scale') ratios.alloc = alloc.timing.median / row.timing.median;
    row.ratios = Object.fromEntries(Object.entries(ratios).filter(([, v]) => v !== undefined));
  }
  return rows;
}

function check(name: string, value: number | undefined, goal: number, sense: TargetCheck['sense']): TargetCheck {
  if (value === undefined || !Number.isFinite(value)) return { name, value: null, goal, sense, met: null };
  return { name, value, goal, sense, met: sense === 'atLeast' ? value >= goal : value <= goal };
}

/**
 * The speed targets, all on [32,224,224,3] uint8 → float32:
 * - scaleInto normalize reaches ≥ 0.5 of memcpy bandwidth for the same bytes
 *   (into a createOutputBuffer array, and into an ordinary Float32Array);
 * - scale normalize (cpu) is ≥ 30× the tfjs cpu op chain, ≥ 20× the wasm op chain, ≥ 3× numpy;
 * - per-channel batch standardization, statistics included, takes ≤ 2.5× normalize's time.
 */
export function checkTargets(rows: readonly BenchRow[]): TargetCheck[] {
  const normalize: BenchCase = { method: 'normalize', ...TARGET_CASE };
  const standardize: BenchCase = { method: 'standardize', ...TARGET_CASE };
  const time = (c: BenchCase, backend: string, impl: Implementation) => findRow(rows, c, backend, impl)?.timing.median;
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? a / b : undefined);
  const into = findRow(rows, normalize, HOST, 'scaleInto');
  const intoArray = findRow(rows, normalize, HOST, 'scaleIntoArray');
  const memcpy = findRow(rows, normalize, HOST, 'memcpy');
  const scaleCpu = time(normalize, 'cpu', 'scale');
  return [
    check('scaleInto normalize, fraction of memcpy bandwidth', into && memcpy ? into.gbPerS / memcpy.gbPerS : undefined, 0.5, 'atLeast'),
    check('scaleInto normalize (ordinary Float32Array), fraction of memcpy bandwidth', intoArray && memcpy ? intoArray.gbPerS / memcpy.gbPerS : undefined, 0.5, 'atLeast'),
    check('scale normalize vs tfjs cpu op chain (×)', ratio(time(normalize, 'cpu', 'opChain'), scaleCpu), 30, 'atLeast'),
    check('scale normalize vs tfjs wasm op chain (×)', ratio(time(normalize, 'wasm', 'opChain'), scaleCpu), 20, 'atLeast'),
    check('scale normalize vs numpy tutorial code (×)', ratio(time(normalize, HOST, 'numpy'), scaleCpu), 3, 'atLeast'),
    check('standardize (batch stats) time / normalize time', ratio(time(standardize, 'cpu', 'scale'), scaleCpu), 2.5, 'atMost'),
    check('scaleInto standardize time / scaleInto normalize time', ratio(time(standardize, HOST, 'scaleInto'), time(normalize, HOST, 'scaleInto')), 2.5, 'atMost'),
  ];
}
