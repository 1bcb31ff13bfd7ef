/**
 * One-pass moments against a two-pass float64 reference written here:
 * mean = Σx / n, M2 = Σ(x − mean)², min, max, per (image, channel).
 */
import { describe, expect, it } from 'vitest';
import type { HostPixels, PixelArray, PixelDtype } from '../../src/core/input.js';
import { pixelDtypeOf } from '../../src/core/input.js';
import { uint8ChannelSums } from '../../src/kernels/wasm/wasm_simd.js';
import { resolveGeometry, type Layout } from '../../src/core/layout.js';
import { accumulateMoments, momentsFromSums } from '../../src/kernels/host/moments.js';

function integers(n: number, max: number, seed = 7): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % (max + 1);
  });
}

function host(data: PixelArray, shape: number[], layout: Layout = 'channels_last'): HostPixels {
  return { data, dtype: pixelDtypeOf(data) as PixelDtype, geometry: resolveGeometry(shape, { layout }) };
}

/** Two-pass reference moments of (image n, channel c). */
function reference(data: PixelArray, shape: number[], layout: Layout, n: number, c: number) {
  const g = resolveGeometry(shape, { layout });
  const { channels: C, pixels: P } = g;
  const values: number[] = [];
  for (let p = 0; p < P; p++) values.push(data[layout === 'channels_last' ? n * C * P + p * C + c : n * C * P + c * P + p]);
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let m2 = 0;
  for (const v of values) m2 += (v - mean) * (v - mean);
  return { count: values.length, sum, mean, m2, min: Math.min(...values), max: Math.max(...values) };
}

function expectMoments(data: PixelArray, shape: number[], layout: Layout, exactMean: boolean): void {
  const g = resolveGeometry(shape, { layout });
  const moments = accumulateMoments(host(data, shape, layout));
  expect(moments).toHaveLength(g.images * g.channels);
  for (let n = 0; n < g.images; n++) {
    for (let c = 0; c < g.channels; c++) {
      const got = moments[n * g.channels + c];
      const want = reference(data, shape, layout, n, c);
      expect(got.count).toBe(want.count);
      expect(got.min).toBe(want.min);
      expect(got.max).toBe(want.max);
      if (exactMean) expect(got.mean).toBe(want.mean);
      else expect(got.mean).toBeCloseTo(want.mean, 10);
      expect(Math.abs(got.m2 - want.m2)).toBeLessThanOrEqual(1e-10 * Math.max(want.m2, 1));
    }
  }
}

describe('accumulateMoments, uint8 (exact integer sums or histogram)', () => {
  // 3 images of 61×53 pixels: 3233 pixels, not a multiple of 16.
  it('interleaved RGB (SIMD path)', () => expectMoments(Uint8Array.from(integers(3 * 61 * 53 * 3, 255)), [3, 61, 53, 3], 'channels_last', true));
  it('Uint8ClampedArray RGB', () => expectMoments(Uint8ClampedArray.from(integers(2 * 40 * 40 * 3, 255, 3)), [2, 40, 40, 3], 'channels_last', true));
  it('one channel', () => expectMoments(Uint8Array.from(integers(3 * 61 * 53, 255)), [3, 61, 53], 'channels_last', true));
  it('channels first', () => expectMoments(Uint8Array.from(integers(3 * 3 * 61 * 53, 255)), [3, 3, 61, 53], 'channels_first', true));
  it('four channels (histogram path)', () => expectMoments(Uint8Array.from(integers(2 * 33 * 35 * 4, 255)), [2, 33, 35, 4], 'channels_last', true));
  it('two channels (histogram path)', () => expectMoments(Uint8Array.from(integers(2 * 33 * 35 * 2, 255)), [2, 33, 35, 2], 'channels_last', true));
  it('tiny images (fewer values than one SIMD block)', () => expectMoments(Uint8Array.from(integers(2 * 2 * 3 * 3, 255)), [2, 2, 3, 3], 'channels_last', true));

  it('saturated and constant data: large sums stay exact, M2 is exactly 0 for constant channels', () => {
    // 1000×1000 RGB, channel 0 all 255, channel 1 all 0, channel 2 alternating 0/255.
    const P = 1_000_000;
    const data = new Uint8Array(3 * P);
    for (let p = 0; p < P; p++) {
      data[3 * p] = 255;
      data[3 * p + 2] = p % 2 === 0 ? 0 : 255;
    }
    const [r, g, b] = accumulateMoments(host(data, [1000, 1000, 3]));
    expect(r).toEqual({ count: P, mean: 255, m2: 0, min: 255, max: 255 });
    expect(g).toEqual({ count: P, mean: 0, m2: 0, min: 0, max: 0 });
    // Half 0, half 255: mean 127.5, M2 = n · 127.5².
    expect(b).toEqual({ count: P, mean: 127.5, m2: P * 127.5 * 127.5, min: 0, max: 255 });
  });
});

describe('accumulateMoments, other types (shifted float64 chunks)', () => {
  it('float32 RGB', () => expectMoments(Float32Array.from(integers(3 * 70 * 70 * 3, 1000), (v) => v / 7 + 1000.25), [3, 70, 70, 3], 'channels_last', false));
  it('float64, five channels', () => expectMoments(Float64Array.from(integers(2 * 30 * 30 * 5, 5000), (v) => v * 1e-3 - 2), [2, 30, 30, 5], 'channels_last', false));
  it('uint16 channels first', () => expectMoments(Uint16Array.from(integers(2 * 3 * 40 * 40, 65535)), [2, 3, 40, 40], 'channels_first', false));
  it('int32, one channel', () => expectMoments(Int32Array.from(integers(2 * 64 * 65, 100_000), (v) => v - 50_000), [2, 64, 65], 'channels_last', false));
});

describe('uint8ChannelSums and momentsFromSums', () => {
  it('sums exactly from any offset, with tails shorter than a SIMD block', () => {
    // Over 524 288 bytes: more than one staging chunk per call.
    const data = Uint8Array.from(integers(1_200_003, 255, 11));
    for (const [from, count, channels] of [
      [1, 1_150_000 - 1, 3],
      [5, 47, 3],
      [0, 1_200_003, 1],
      [3, 15, 1],
    ] as const) {
      const sums = uint8ChannelSums(data, from, count, channels);
      expect(sums).not.toBeNull();
      for (let c = 0; c < channels; c++) {
        let sum = 0, sq = 0, min = 255, max = 0, n = 0;
        for (let i = c; i < count; i += channels) {
          const v = data[from + i];
          sum += v;
          sq += v * v;
          min = Math.min(min, v);
          max = Math.max(max, v);
          n++;
        }
        expect(sums?.[c]).toEqual({ count: n, sum, sumSquares: sq, min, max });
      }
    }
  });

  it('turns sums into moments with an exact numerator', () => {
    // Values 0 and 255: mean 127.5, M2 = 2 · 127.5² = 32512.5.
    expect(momentsFromSums({ count: 2, sum: 255, sumSquares: 65025, min: 0, max: 255 })).toEqual({ count: 2, mean: 127.5, m2: 32512.5, min: 0, max: 255 });
    // n·Σx² and (Σx)² both exceed 2^53 here, their difference does not: 3e9 values, a third each of 1, 2, 3.
    const n = 3e9;
    const m = momentsFromSums({ count: n, sum: 6e9, sumSquares: 14e9, min: 1, max: 3 });
    expect(m.mean).toBe(2);
    expect(m.m2).toBe(2e9);
    expect(momentsFromSums({ count: 0, sum: 0, sumSquares: 0, min: 255, max: 0 }).count).toBe(0);
  });
});
