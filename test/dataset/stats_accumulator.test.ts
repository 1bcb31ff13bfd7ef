/** StatsAccumulator against corrected two-pass float64 references, including the cancellation case. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { StatsAccumulator } from '../../src/index.js';
import { PixelprepError } from '../../src/core/errors.js';
import { channelOf, concat, randomBytes, relativeError, seeded, twoPass } from './reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Batches of [N, H, W, 3] float64 values around 1e6 (unit noise), as an exposure of naive variance. */
function offsetBatches(batches: number, n: number, seed: number): Float64Array[] {
  const next = seeded(seed);
  return Array.from({ length: batches }, () => Float64Array.from({ length: n * 64 * 64 * 3 }, (_, i) => 1e6 + (i % 3) * 10 + (next() - 0.5) * 2));
}

describe('StatsAccumulator', () => {
  it('matches a two-pass float64 reference on 1M values per channel offset by 1e6, where the naive formula fails', () => {
    const batches = offsetBatches(64, 4, 11);
    const acc = new StatsAccumulator();
    for (const data of batches) acc.add({ data, shape: [4, 64, 64, 3] });
    const stats = acc.result();
    expect(stats.images).toBe(256);
    expect(stats.count).toBe(256 * 64 * 64);
    const all = concat(batches);
    for (let c = 0; c < 3; c++) {
      const values = channelOf(all, 3, c);
      const ref = twoPass(values);
      expect(relativeError(stats.mean[c], ref.mean)).toBeLessThanOrEqual(1e-15);
      expect(Math.abs(stats.std[c] - ref.std) / ref.std).toBeLessThanOrEqual(1e-9);
      expect(stats.min[c]).toBe(ref.min);
      expect(stats.max[c]).toBe(ref.max);
      // The one-pass textbook formula, E[x²] - E[x]², loses about half the digits here:
      let s = 0;
      let q = 0;
      for (let i = 0; i < values.length; i++) {
        s += values[i];
        q += values[i] * values[i];
      }
      const naiveStd = Math.sqrt(Math.max(q / values.length - (s / values.length) ** 2, 0));
      expect(Math.abs(naiveStd - ref.std) / ref.std).toBeGreaterThan(1e-6);
    }
    const global = twoPass(all);
    expect(relativeError(stats.global.mean, global.mean)).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(stats.global.std - global.std) / global.std).toBeLessThanOrEqual(1e-9);
    expect(stats.global.count).toBe(3 * stats.count);
  });

  it('counts uint8, uint16, int32 and float32 inputs (raw and tensors) exactly as the reference', () => {
    const bytes = randomBytes(5 * 6 * 7 * 4, 3);
    const inputs = [
      { data: bytes, shape: [5, 6, 7, 4] },
      { data: Uint16Array.from(bytes, (v) => v * 257), shape: [5, 6, 7, 4] },
      { data: Float32Array.from(bytes, (v, i) => v / 255 + (i % 4)), shape: [5, 4, 6, 7] },
    ];
    for (const [k, x] of inputs.entries()) {
      const layout = k === 2 ? 'channels_first' : 'channels_last';
      const stats = new StatsAccumulator({ layout }).add(x).result();
      const C = 4;
      for (let c = 0; c < C; c++) {
        const values = layout === 'channels_last' ? channelOf(x.data, C, c) : concat([0, 1, 2, 3, 4].map((n) => x.data.subarray((n * C + c) * 42, (n * C + c + 1) * 42)));
        const ref = twoPass(values);
        expect(relativeError(stats.mean[c], ref.mean)).toBeLessThanOrEqual(1e-14);
        expect(relativeError(stats.std[c], ref.std)).toBeLessThanOrEqual(1e-12);
        expect(stats.min[c]).toBe(ref.min);
        expect(stats.max[c]).toBe(ref.max);
      }
      expect(stats.source).toMatchObject({ layout, spatialDims: 2, digest: expect.stringMatching(/^[0-9a-f]{16}$/) });
    }
    const before = tf.memory().numTensors;
    const t = tf.tensor(Int32Array.from(bytes, (v) => v - 100), [5, 6, 7, 4], 'int32');
    const stats = new StatsAccumulator().add(t).result();
    expect(relativeError(stats.mean[1], twoPass(channelOf(t.dataSync(), 4, 1)).mean)).toBeLessThanOrEqual(1e-14);
    expect(t.isDisposed).toBe(false);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pools channels for per global and records range', () => {
    const bytes = randomBytes(2 * 8 * 8 * 3, 5);
    const stats = new StatsAccumulator({ per: 'global', range: [0, 255] }).add({ data: bytes, shape: [2, 8, 8, 3] }).result();
    const ref = twoPass(bytes);
    expect(stats.channels).toBe(1);
    expect(stats.count).toBe(bytes.length);
    expect(relativeError(stats.mean[0], ref.mean)).toBeLessThanOrEqual(1e-14);
    expect(relativeError(stats.std[0], ref.std)).toBeLessThanOrEqual(1e-12);
    expect(stats.source).toEqual({ layout: 'channels_last', spatialDims: 2, range: [0, 255], bitDepth: 8, digest: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it('rejects an input whose channel count differs, naming it, and stays unchanged', () => {
    const acc = new StatsAccumulator();
    acc.add({ data: new Uint8Array(4 * 4 * 3), shape: [4, 4, 3] });
    acc.add({ data: new Uint8Array(4 * 4 * 3).fill(9), shape: [4, 4, 3] });
    const before = acc.result();
    const error = catchError(() => acc.add({ data: new Uint8Array(4 * 4 * 4), shape: [4, 4, 4] }));
    expect(error.code).toBe('E_SHAPE');
    expect(error.message).toContain('input 2');
    expect(error.message).toContain('3 channels');
    expect(error.message).toContain('[4,4,4]');
    expect(acc.result()).toEqual(before);
    expect(acc.inputs).toBe(2);
  });

  it('rejects values outside the declared range and NaN, naming the input', () => {
    const acc = new StatsAccumulator({ range: [0, 1] });
    acc.add({ data: new Float32Array([0, 0.5, 1, 0.25]), shape: [2, 2] });
    const outside = catchError(() => acc.add({ data: new Float32Array([0, 0.5, 255, 0.25]), shape: [2, 2] }));
    expect(outside.code).toBe('E_VALUE');
    expect(outside.message).toMatch(/\[0, 1\].*input 1.*255/);
    const nan = catchError(() => acc.add({ data: new Float32Array([0, NaN, 1, 0.25]), shape: [2, 2] }));
    expect(nan.code).toBe('E_VALUE');
    expect(nan.message).toContain('input 1');
    expect(acc.inputs).toBe(1);
  });

  it('merges two accumulators into what one accumulator of both streams gives', () => {
    const a = randomBytes(3 * 5 * 5 * 3, 21);
    const b = Float64Array.from(randomBytes(2 * 5 * 5 * 3, 22), (v) => v * 0.5 + 3);
    const left = new StatsAccumulator().add({ data: a, shape: [3, 5, 5, 3] });
    const right = new StatsAccumulator().add({ data: b, shape: [2, 5, 5, 3] });
    const both = new StatsAccumulator().add({ data: a, shape: [3, 5, 5, 3] }).add({ data: b, shape: [2, 5, 5, 3] });
    const merged = left.merge(right).result();
    const single = both.result();
    expect(merged.images).toBe(5);
    for (let c = 0; c < 3; c++) {
      expect(relativeError(merged.mean[c], single.mean[c])).toBeLessThanOrEqual(1e-14);
      expect(relativeError(merged.m2[c], single.m2[c])).toBeLessThanOrEqual(1e-12);
    }
    const four = new StatsAccumulator().add({ data: new Uint8Array(4), shape: [2, 2] });
    expect(catchError(() => new StatsAccumulator().add({ data: a, shape: [3, 5, 5, 3] }).merge(four)).code).toBe('E_SHAPE');
    expect(new StatsAccumulator().merge(left).result().mean).toEqual(left.result().mean);
  });

  it('round-trips its state through JSON bit for bit, and rejects a malformed state', () => {
    const acc = new StatsAccumulator().add({ data: Float64Array.from(randomBytes(300, 4), (v) => v / 7 + 1e6), shape: [10, 10, 3] });
    const restored = StatsAccumulator.restore(JSON.parse(JSON.stringify(acc.state())));
    expect(restored.result()).toEqual(acc.result());
    expect(restored.inputs).toBe(1);
    expect(StatsAccumulator.restore(null).channels).toBeNull();
    const state = JSON.parse(JSON.stringify(acc.state()));
    state.moments[1].m2 = -1;
    const error = catchError(() => StatsAccumulator.restore(state));
    expect(error.code).toBe('E_STATS');
    expect(error.message).toContain('moments[1].m2');
  });

  it('reports empty input and bad options clearly', () => {
    expect(catchError(() => new StatsAccumulator().result()).code).toBe('E_STATS');
    expect(catchError(() => new StatsAccumulator({ layot: 'channels_last' } as never)).code).toBe('E_ARGUMENT');
    expect(catchError(() => new StatsAccumulator({ range: [1, 0] })).code).toBe('E_ARGUMENT');
    expect(catchError(() => new StatsAccumulator().add({ data: new Uint8Array(5), shape: [2, 2] })).code).toBe('E_SHAPE');
  });
});

function catchError(run: () => unknown): PixelprepError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PixelprepError);
    return error as PixelprepError;
  }
  throw new Error('expected an error');
}
