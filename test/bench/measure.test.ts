import { describe, expect, it } from 'vitest';
import { caseBytes, expandGrid, FULL_GRID } from '../../src/bench/grid.js';
import { MAX_WARMUP_RUNS, measure, measureRoundRobin, quantile, summarize } from '../../src/bench/measure.js';
import { numpyEnvironment, runNumpyBaseline } from '../../src/bench/numpy_baseline.js';
import { syntheticBatch } from '../../src/bench/synthetic.js';

describe('summarize', () => {
  it('reports the median, extremes and interquartile range (linear interpolation, as numpy.percentile)', () => {
    // numpy.percentile([1, 2, 3, 4, 100], [25, 50, 75]) = [2, 3, 4]
    expect(summarize([100, 3, 1, 4, 2])).toEqual({ median: 3, min: 1, max: 100, iqr: 2, samples: 5 });
    // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) = [1.75, 2.5, 3.25]
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, iqr: 1.5, samples: 4 });
    expect(quantile([5], 0.5)).toBe(5);
  });
});

describe('measure', () => {
  it('runs the warm-up untimed, then at least minRepeats and at most repeats timed runs', async () => {
    let calls = 0;
    const t = await measure(() => calls++, { warmup: 2, repeats: 5, minRepeats: 3, maxSeconds: 0 });
    expect(t.samples).toBe(3);
    expect(calls).toBe(5);
  });

  it('warms a fast function up more (up to MAX_WARMUP_RUNS) while warming is cheap', async () => {
    let calls = 0;
    const u = await measure(() => calls++, { warmup: 0, repeats: 4, maxSeconds: 60 });
    expect(u.samples).toBe(4);
    expect(calls).toBe(MAX_WARMUP_RUNS + 4);
    // A slow function (each run over a quarter of the budget) gets only the minimum.
    calls = 0;
    await measure(() => new Promise((resolve) => setTimeout(() => resolve(calls++), 30)), { warmup: 1, repeats: 3, maxSeconds: 0.1 });
    expect(calls).toBe(1 + 3);
  });

  it('awaits promises inside the timed region', async () => {
    const t = await measure(() => new Promise((resolve) => setTimeout(resolve, 20)), { warmup: 0, repeats: 3 });
    expect(t.min).toBeGreaterThanOrEqual(15);
  });
});

describe('grid', () => {
  it('counts bytes in (1 or 4 per value) and float32 bytes out (none for stats)', () => {
    expect(caseBytes({ method: 'normalize', batch: 32, size: 224, dtype: 'uint8' })).toEqual({ bytesIn: 4_816_896, bytesOut: 19_267_584 });
    expect(caseBytes({ method: 'stats', batch: 1, size: 32, dtype: 'float32' })).toEqual({ bytesIn: 12_288, bytesOut: 0 });
  });

  it('expands every combination and skips those over the byte cap', () => {
    const { cases, skipped } = expandGrid(FULL_GRID, 256e6);
    expect(cases.length + skipped.length).toBe(5 * 5 * 3 * 2);
    for (const c of cases) {
      const b = caseBytes(c);
      expect(b.bytesIn + b.bytesOut).toBeLessThanOrEqual(256e6);
    }
    for (const c of skipped) {
      const b = caseBytes(c);
      expect(b.bytesIn + b.bytesOut).toBeGreaterThan(256e6);
    }
    // 256 images of 512² float32: 805 MB in, 805 MB out.
    expect(skipped).toContainEqual({ method: 'normalize', batch: 256, size: 512, dtype: 'float32' });
    expect(cases).toContainEqual({ method: 'normalize', batch: 32, size: 224, dtype: 'uint8' });
  });
});

describe('syntheticBatch', () => {
  it('is deterministic, of the case shape, and spans 0..255 like image data', () => {
    const a = syntheticBatch({ batch: 2, size: 64, dtype: 'uint8' });
    const b = syntheticBatch({ batch: 2, size: 64, dtype: 'uint8' });
    expect(a.shape).toEqual([2, 64, 64, 3]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(a.data).toEqual(b.data);
    const seen = new Set(a.data);
    expect(seen.size).toBeGreaterThan(200);
    const f = syntheticBatch({ batch: 2, size: 64, dtype: 'float32' });
    expect(f.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f.data.subarray(0, 100))).toEqual(Array.from(a.data.subarray(0, 100)));
  });
});

describe('numpy baseline', () => {
  it('removes the OpenBLAS overrides from the child environment only', () => {
    const env = { PATH: '/bin', OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512' };
    expect(numpyEnvironment(env)).toEqual({ PATH: '/bin' });
    expect(env.OPENBLAS_CORETYPE).toBe('Haswell');
  });

  it('is skipped with a reason when the interpreter is missing', () => {
    const run = runNumpyBaseline([{ method: 'normalize', batch: 1, size: 8, dtype: 'uint8' }], {
      warmup: 0,
      repeats: 1,
      maxSeconds: 0,
      python: 'python3-that-does-not-exist',
    });
    expect(run.version).toBeNull();
    expect(run.skipped).toMatch(/python3 could not run/);
    expect(run.timings.size).toBe(0);
  });
});

describe('measureRoundRobin', () => {
  it('runs every task once per round, in order, after each task’s warm-up', async () => {
    const order: string[] = [];
    const timings = await measureRoundRobin(
      { a: () => order.push('a'), b: () => order.push('b') },
      { warmup: 1, repeats: 3, maxSeconds: 60 },
    );
    // Warm-up: a fast task gets MAX_WARMUP_RUNS runs, then 3 rounds of a, b.
    expect(order.slice(0, MAX_WARMUP_RUNS)).toEqual(Array(MAX_WARMUP_RUNS).fill('a'));
    expect(order.slice(MAX_WARMUP_RUNS, 2 * MAX_WARMUP_RUNS)).toEqual(Array(MAX_WARMUP_RUNS).fill('b'));
    expect(order.slice(2 * MAX_WARMUP_RUNS)).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect(timings.a.samples).toBe(3);
    expect(timings.b.samples).toBe(3);
  });

  it('stops after minRepeats rounds once the budget is spent', async () => {
    let calls = 0;
    const slow = () => new Promise((resolve) => setTimeout(() => resolve(calls++), 15));
    const timings = await measureRoundRobin({ slow }, { warmup: 1, repeats: 10, minRepeats: 2, maxSeconds: 0.01 });
    expect(timings.slow.samples).toBe(2);
    expect(calls).toBe(3);
  });
});
