/**
 * Device reductions against two-pass float64 statistics computed here:
 * uint8/uint16 blocks are exact integer sums, int32/float32 blocks are
 * compensated sums; means must match to 1e-7 relative (the bar),
 * and in practice match far closer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { computeStatsOnDevice, deviceMoments } from '../../src/kernels/webgpu/device_stats.js';
import { BLOCK_PIXELS } from '../../src/kernels/webgpu/stats_program.js';
import { describeWebGpu, randomInts } from './webgpu_lane.js';

/** Two-pass float64 mean, population std, min and max of channel c (channels_last, C channels). */
function channelStats(values: ArrayLike<number>, C: number, c: number): { mean: number; std: number; min: number; max: number; count: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let i = c; i < values.length; i += C) {
    sum += values[i];
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
    count++;
  }
  const mean = sum / count;
  let ss = 0;
  for (let i = c; i < values.length; i += C) ss += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(ss / count), min, max, count };
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);

// Two blocks per (image, channel) plus a partial third: the host merge is exercised.
const SHAPE = [2, 129, 260, 3];
const COUNT = 2 * 129 * 260 * 3;

describeWebGpu('device statistics', () => {
  it('uses more than one block per channel in these specs', () => {
    expect(129 * 260).toBeGreaterThan(2 * BLOCK_PIXELS);
  });

  it('uint8 (packed): exact integer sums, means equal the float64 reference', async () => {
    const bytes = Uint8Array.from(randomInts(COUNT, 256, 21));
    const before = tf.memory().numTensors;
    const stats = await computeStatsOnDevice({ data: bytes, shape: SHAPE });
    expect(tf.memory().numTensors).toBe(before);
    for (let c = 0; c < 3; c++) {
      const ref = channelStats(bytes, 3, c);
      expect(relative(stats.mean[c], ref.mean)).toBeLessThanOrEqual(1e-15);
      expect(relative(stats.std[c], ref.std)).toBeLessThanOrEqual(1e-12);
      expect([stats.min[c], stats.max[c]]).toEqual([ref.min, ref.max]);
    }
    expect(stats.count).toBe(129 * 260 * 2);
  });

  it('uint16 (packed): 64-bit integer sums of squares do not overflow', async () => {
    const words = Uint16Array.from(randomInts(COUNT, 65536, 22));
    const stats = await computeStatsOnDevice({ data: words, shape: SHAPE });
    for (let c = 0; c < 3; c++) {
      const ref = channelStats(words, 3, c);
      expect(relative(stats.mean[c], ref.mean)).toBeLessThanOrEqual(1e-15);
      expect(relative(stats.std[c], ref.std)).toBeLessThanOrEqual(1e-12);
      expect([stats.min[c], stats.max[c]]).toEqual([ref.min, ref.max]);
    }
  });

  it('float32 far from zero (1e4 + noise): compensated sums keep means to 1e-7 relative', async () => {
    const noise = randomInts(COUNT, 1 << 20, 23);
    const values = Float32Array.from(noise, (v, i) => 10000 + (i % 3) * 0.5 + v / (1 << 20) * 255.75);
    const stats = await computeStatsOnDevice({ data: values, shape: SHAPE });
    for (let c = 0; c < 3; c++) {
      const ref = channelStats(values, 3, c);
      expect(relative(stats.mean[c], ref.mean)).toBeLessThanOrEqual(1e-7);
      expect(relative(stats.std[c], ref.std)).toBeLessThanOrEqual(1e-5);
      expect([stats.min[c], stats.max[c]]).toEqual([ref.min, ref.max]);
    }
  });

  it('compensation survives the shader compiler: an outlier shift and values near 1e6 stay exact to 1e-9', async () => {
    // Each block's first value (its shift) is 0 and the rest sit near 1e6: plain f32 sums here miss the
    // mean by ~3e-4 and the variance by ~1e-3 (measured); TwoSum/TwoProduct pairs do not.
    const P = 3 * BLOCK_PIXELS;
    const noise = randomInts(P, 1 << 20, 26);
    const values = Float32Array.from(noise, (r, i) => (i % BLOCK_PIXELS === 0 ? 0 : 1e6 + (r / (1 << 20)) * 1000));
    const ref = channelStats(values, 1, 0);
    const { moments } = await deviceMoments({ data: values, shape: [P, 1] });
    expect(relative(moments[0].mean, ref.mean)).toBeLessThanOrEqual(1e-12);
    expect(relative(moments[0].m2 / P, ref.std ** 2)).toBeLessThanOrEqual(1e-9);
  });

  it('int32 tensor and channels_first layout, per image', async () => {
    const ints = Int32Array.from(randomInts(COUNT, 4096, 24));
    const x = tf.tensor(ints, [2, 3, 129, 260], 'int32');
    const { moments } = await deviceMoments(x, { layout: 'channels_first' });
    x.dispose();
    const P = 129 * 260;
    for (let n = 0; n < 2; n++) {
      for (let c = 0; c < 3; c++) {
        const plane = ints.subarray((n * 3 + c) * P, (n * 3 + c + 1) * P);
        const ref = channelStats(plane, 1, 0);
        const m = moments[n * 3 + c];
        expect(m.count).toBe(P);
        expect(relative(m.mean, ref.mean)).toBeLessThanOrEqual(1e-7);
        expect(relative(Math.sqrt(m.m2 / m.count), ref.std)).toBeLessThanOrEqual(1e-6);
        expect([m.min, m.max]).toEqual([ref.min, ref.max]);
      }
    }
  });

  it('per global pools channels; NaN in data on the GPU becomes E_VALUE', async () => {
    const bytes = Uint8Array.from(randomInts(3000, 256, 25));
    const stats = await computeStatsOnDevice({ data: bytes, shape: [10, 10, 10, 3] }, { per: 'global' });
    expect(relative(stats.mean[0], channelStats(bytes, 1, 0).mean)).toBeLessThanOrEqual(1e-15);
    // 0/0 computed on the device: the NaN never visits the host before the reduction.
    const zeros = tf.zeros([10, 10, 10, 3]);
    const nan = tf.div(zeros, zeros);
    await expect(deviceMoments(nan)).rejects.toMatchObject({ code: 'E_VALUE' });
    tf.dispose([zeros, nan]);
  });
});
