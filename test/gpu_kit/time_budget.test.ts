/**
 * The benchmark's wall-clock budget: estimates from learned per-byte costs,
 * worked out by hand here, and the decision to run or skip against a clock
 * the test controls.
 */
import { describe, expect, it } from 'vitest';
import { PixelprepError } from '../../src/core/errors.js';
import { TimeBudget } from '../../src/bench/time_budget.js';
import { knownBandwidth } from '../../src/bench/gpu_bandwidth.js';

describe('TimeBudget', () => {
  it('estimates warm-up plus at least three timed runs, then runs until the time cap', () => {
    let now = 0;
    const budget = new TimeBudget(100_000, 2000, () => now);
    expect(budget.estimateMs('cpu scale', 1e6, { warmup: 1, repeats: 5, maxSeconds: 1 })).toBeNull();
    budget.learn('cpu scale', 1e6, 10); // 10 ms per run for 1 MB
    // 4 MB: 40 ms a run. Warm-up: max(1 run, min(budget/4 = 250, 25 runs = 1000)) = 250; timed: 3 runs + min(1000, 2 runs) = 200.
    expect(budget.estimateMs('cpu scale', 4e6, { warmup: 1, repeats: 5, maxSeconds: 1 })).toBeCloseTo(450, 9);
    // 400 MB: 4 s a run. Warm-up 4000; timed 3 × 4000 + min(1000, 8000) = 13000; two tasks side by side double it.
    expect(budget.estimateMs('cpu scale', 4e8, { warmup: 1, repeats: 5, maxSeconds: 1 }, 2)).toBeCloseTo(34_000, 6);
    expect(budget.estimateRunsMs('cpu scale', 4e6, 6)).toBeCloseTo(240, 9);
    now = 60_000; // 38 s left after the 2 s reserve
    expect(budget.remainingMs()).toBe(38_000);
    expect(budget.fits('cpu scale', 4e8, { warmup: 1, repeats: 5, maxSeconds: 1 }, 2)).toBe(true);
    now = 65_000; // 33 s left: 34 s no longer fit
    expect(budget.fits('cpu scale', 4e8, { warmup: 1, repeats: 5, maxSeconds: 1 }, 2)).toBe(false);
  });

  it('keeps the slowest rate seen, runs unknown work while time is left, and refuses bad deadlines', () => {
    let now = 0;
    const budget = new TimeBudget(10_000, 1000, () => now);
    budget.learn('webgpu', 100, 1);
    budget.learn('webgpu', 100, 3);
    budget.learn('webgpu', 100, 2);
    expect(budget.estimateRunsMs('webgpu', 200, 1)).toBeCloseTo(6, 9);
    expect(budget.fits('never seen', 1e9, {})).toBe(true);
    now = 9500;
    expect(budget.fits('never seen', 1, {})).toBe(false);
    expect(() => new TimeBudget(Number.NaN)).toThrow(PixelprepError);
    expect(() => new TimeBudget(1, -1)).toThrow(/Expected a non-negative reserve/);
  });
});

describe('knownBandwidth', () => {
  it('matches datasheet names from nvidia-smi or the adapter, most specific first', () => {
    expect(knownBandwidth(['NVIDIA H200'])).toEqual({ name: 'NVIDIA H200 (HBM3e)', gbPerS: 4800 });
    expect(knownBandwidth([null, 'NVIDIA GH200 480GB'])?.gbPerS).toBe(4900);
    expect(knownBandwidth(['NVIDIA H100 PCIe'])?.gbPerS).toBe(2000);
    expect(knownBandwidth(['NVIDIA H100 80GB HBM3'])?.gbPerS).toBe(3350);
    expect(knownBandwidth(['NVIDIA A100-SXM4-80GB'])?.gbPerS).toBe(2039);
    expect(knownBandwidth(['Tesla T4'])?.gbPerS).toBe(320);
    expect(knownBandwidth(['llvmpipe: Mesa 25.0.7', undefined, ''])).toBeNull();
  });
});
