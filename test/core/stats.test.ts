/** computeStats and the float64 accumulator against two-pass float64 references. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { computeImageStats, computeStats, mergeStats, validateStats } from '../../src/index.js';
import { accumulateMoments } from '../../src/kernels/host/moments.js';
import { resolveGeometry } from '../../src/core/layout.js';
import { randomBytes, refStats } from './reference.js';

const channelValues = (data: ArrayLike<number>, C: number, c: number) => Array.from(data).filter((_, i) => i % C === c);

function expectClose(actual: number, expected: number, relative = 1e-12) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

describe('computeStats', () => {
  it('per channel and global equal two-pass float64 statistics (uint8, int32, float32, float64, uint16)', () => {
    const bytes = randomBytes(3 * 7 * 9 * 3, 2);
    const inputs = [
      { data: bytes, shape: [3, 7, 9, 3] },
      { data: Uint16Array.from(bytes, (v) => v * 257), shape: [3, 7, 9, 3] },
      { data: Float32Array.from(bytes, (v, i) => v / 3 + (i % 5)), shape: [3, 7, 9, 3] },
      { data: Float64Array.from(bytes, (v, i) => v * 1.5 - (i % 7)), shape: [3, 7, 9, 3] },
      tf.tensor(Int32Array.from(bytes, (v) => v - 128), [3, 7, 9, 3], 'int32'),
    ];
    for (const x of inputs) {
      const values = x instanceof tf.Tensor ? Array.from(x.dataSync()) : Array.from(x.data);
      const s = computeStats(x);
      expect(s.channels).toBe(3);
      expect(s.images).toBe(3);
      expect(s.count).toBe(3 * 7 * 9);
      for (let c = 0; c < 3; c++) {
        const r = refStats(channelValues(values, 3, c));
        expectClose(s.mean[c], r.mean);
        expectClose(s.std[c], r.std);
        expect(s.min[c]).toBe(r.min);
        expect(s.max[c]).toBe(r.max);
      }
      const g = refStats(values);
      expectClose(s.global.mean, g.mean);
      expectClose(s.global.std, g.std);
      const pooled = computeStats(x, { per: 'global' });
      expect(pooled.channels).toBe(1);
      expectClose(pooled.mean[0], g.mean);
      expectClose(pooled.std[0], g.std);
      if (x instanceof tf.Tensor) x.dispose();
    }
  });

  it('channels_first planes and per-image statistics', () => {
    const data = randomBytes(2 * 3 * 4 * 5, 8);
    const s = computeStats({ data, shape: [2, 3, 4, 5] }, { layout: 'channels_first' });
    for (let c = 0; c < 3; c++) {
      const values = [0, 1].flatMap((n) => Array.from(data.slice((n * 3 + c) * 20, (n * 3 + c + 1) * 20)));
      expectClose(s.mean[c], refStats(values).mean);
      expectClose(s.std[c], refStats(values).std);
    }
    const perImage = computeImageStats({ data, shape: [2, 3, 4, 5] }, { layout: 'channels_first' });
    expect(perImage).toHaveLength(2);
    expectClose(perImage[1].mean[2], refStats(Array.from(data.slice(5 * 20, 6 * 20))).mean);
    expect(perImage[1].images).toBe(1);
  });

  it('float data offset by 1e6 keeps its variance (no naive sum-of-squares cancellation)', () => {
    const n = 200_000;
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = 1e6 + ((i * 7919) % 1000) / 100;
    const s = computeStats({ data, shape: [n, 1] });
    const r = refStats(Array.from(data));
    expectClose(s.mean[0], r.mean, 1e-14);
    expectClose(s.std[0], r.std, 1e-9);
  });

  it('a float32 running sum drifts on a large batch where the float64 accumulator does not', () => {
    const n = 1 << 24;
    const data = new Uint8Array(n).fill(200);
    data[0] = 201;
    const exact = (200 * (n - 1) + 201) / n;
    let f32 = Math.fround(0);
    for (let i = 0; i < n; i++) f32 = Math.fround(f32 + data[i]);
    expect(Math.abs(f32 / n - exact)).toBeGreaterThan(1);
    expect(computeStats({ data, shape: [n, 1] }).mean[0]).toBe(exact);
  });

  it('moments of a batch merge from per-image moments exactly as mergeStats merges halves', () => {
    const data = randomBytes(4 * 6 * 6 * 3, 13);
    const whole = computeStats({ data, shape: [4, 6, 6, 3] });
    const a = computeStats({ data: data.slice(0, 2 * 108), shape: [2, 6, 6, 3] });
    const b = computeStats({ data: data.slice(2 * 108), shape: [2, 6, 6, 3] });
    const merged = mergeStats(a, b);
    for (let c = 0; c < 3; c++) {
      expectClose(merged.mean[c], whole.mean[c]);
      expectClose(merged.std[c], whole.std[c]);
    }
    expect(merged.images).toBe(4);
    expect(merged.count).toBe(whole.count);
  });

  it('the uint8 histogram path and the shifted-sum path agree', () => {
    const data = randomBytes(5 * 11 * 3, 17);
    const geometry = resolveGeometry([5, 11, 3]);
    const viaHistogram = accumulateMoments({ data, dtype: 'uint8', geometry });
    const viaSums = accumulateMoments({ data: Float32Array.from(data), dtype: 'float32', geometry });
    viaHistogram.forEach((m, i) => {
      expect(m.count).toBe(viaSums[i].count);
      expectClose(m.mean, viaSums[i].mean);
      expectClose(m.m2, viaSums[i].m2, 1e-11);
      expect(m.min).toBe(viaSums[i].min);
      expect(m.max).toBe(viaSums[i].max);
    });
  });

  it('validateStats accepts its own output and rejects malformed statistics', () => {
    const s = computeStats({ data: randomBytes(48, 1), shape: [4, 4, 3] });
    expect(validateStats(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(() => validateStats({ ...s, std: [1, 2] })).toThrow(/std to be a list of 3 numbers/);
    expect(() => validateStats({ ...s, mean: [1, NaN, 2] })).toThrow(/finite number at mean\[1\]/);
    expect(() => validateStats({ ...s, std: [1, -1, 2] })).toThrow(/non-negative std\[1\]/);
    expect(() => validateStats({ ...s, channels: 0 })).toThrow(/positive integer channels/);
    expect(() => validateStats('stats')).toThrow(/PixelStats object/);
  });
});
