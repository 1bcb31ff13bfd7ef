/**
 * PixelprepMoments called by name on every backend lane: its records decode
 * (core's one merge) to the float64 moments of a loop written here, per
 * (image, channel) and, with perImage false, per channel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { PixelprepMoments } from '../../src/index.js';
import { momentsAttrs } from '../../src/core/kernel_attrs.js';
import { kernelInput } from '../../src/core/kernel_input.js';
import { resolveGeometry } from '../../src/core/layout.js';
import { decodeMomentPartials, MOMENT_RECORD_WORDS } from '../../src/core/moment_partials.js';
import { describeLanes } from '../helpers/lanes.js';

function reference(values: number[]) {
  const count = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / count;
  return { count, mean, m2: values.reduce((a, v) => a + (v - mean) ** 2, 0), min: Math.min(...values), max: Math.max(...values) };
}

await describeLanes((lane) => {
  if (lane.kernel === 'composite') {
    it.skip('kernels are called by backend here: the composite kernels are covered in registry.test.ts', () => undefined);
    return;
  }
  for (const kind of ['uint8 packed', 'float32 tensor'] as const) {
    it(`records of ${kind} decode to the float64 moments, per image and per channel`, async () => {
      const shape = [3, 40, 30, 2];
      const g = resolveGeometry(shape);
      const bytes = Uint8Array.from({ length: 3 * 40 * 30 * 2 }, (_, i) => (i * 131 + (i >> 5)) & 255);
      const values = kind === 'uint8 packed' ? Array.from(bytes) : Array.from(bytes, (v, i) => v / 7 + (i % 3) * 1000);
      const x = kind === 'uint8 packed' ? { data: bytes, shape } : tf.tensor(Float32Array.from(values), shape, 'float32');
      const floats = kind === 'uint8 packed' ? values : Array.from(Float32Array.from(values));
      const before = tf.memory().numTensors;
      for (const perImage of [true, false]) {
        const input = kernelInput(x, g, kind === 'uint8 packed' ? ['uint8x4'] : []);
        const records = tf.engine().runKernel(PixelprepMoments, { x: input.tensor }, momentsAttrs(g, input.packing, perImage)) as tf.Tensor;
        expect(records.dtype).toBe('int32');
        expect(records.shape[1]).toBe(MOMENT_RECORD_WORDS);
        const words = (await records.data()) as Int32Array;
        tf.dispose(input.owned ? [records, input.tensor] : [records]);
        const groups = perImage ? 3 * 2 : 2;
        const moments = decodeMomentPartials(words, groups, 2);
        for (let group = 0; group < groups; group++) {
          const c = group % 2;
          const images = perImage ? [Math.floor(group / 2)] : [0, 1, 2];
          const want = reference(floats.filter((_, i) => i % 2 === c && images.includes(Math.floor(i / 2400))));
          const got = moments[group];
          expect(got.count).toBe(want.count);
          // Integer sums are exact; float32 blocks on webgpu are compensated sums (≤ 1e-7 relative on means, the design's bound).
          const tolerance = kind === 'uint8 packed' ? 1e-12 : 1e-7;
          expect(Math.abs(got.mean - want.mean)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(want.mean)));
          expect(Math.abs(got.m2 - want.m2)).toBeLessThanOrEqual(tolerance * 10 * Math.max(1, want.m2));
          expect(got.min).toBe(want.min);
          expect(got.max).toBe(want.max);
        }
      }
      expect(tf.memory().numTensors).toBe(before);
      if (x instanceof tf.Tensor) x.dispose();
    });
  }
});
