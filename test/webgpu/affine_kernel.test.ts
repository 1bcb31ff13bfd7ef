/**
 * The fused WGSL kernel against a float64 reference written here: every
 * input encoding (packed uint8, packed uint16, int32, float32, float64),
 * both layouts, per-image and per-channel coefficients, clip, post-affine
 * and channel reordering.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AffinePlan, type AffineCoefficients } from '../../src/core/plan.js';
import { packWords } from '../../src/kernels/webgpu/device_input.js';
import { describeWebGpu, randomInts, worstError } from './webgpu_lane.js';

const TOLERANCE = 1e-6;

/** y = clip(x[source] * s + o, lo, hi) * ps + po, in float64, by explicit index arithmetic. */
function expected(values: ArrayLike<number>, shape: number[], layout: 'channels_last' | 'channels_first', k: AffineCoefficients): Float64Array {
  const N = shape[0];
  const C = layout === 'channels_last' ? shape[shape.length - 1] : shape[1];
  const P = values.length / (N * C);
  const out = new Float64Array(values.length);
  const at = (n: number, c: number, p: number) => (layout === 'channels_last' ? (n * P + p) * C + c : (n * C + c) * P + p);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const set = (k.images === 1 ? 0 : n) * k.channels + (k.channels === 1 ? 0 : c);
      const source = k.channelOrder ? k.channelOrder[c] : c;
      for (let p = 0; p < P; p++) {
        let y = values[at(n, source, p)] * k.scale[set] + k.offset[set];
        if (k.clip) y = Math.min(Math.max(y, k.clip[0]), k.clip[1]);
        if (k.post) y = y * k.post.scale + k.post.offset;
        out[at(n, c, p)] = y;
      }
    }
  }
  return out;
}

const SHAPES = { channels_last: [3, 17, 23, 3], channels_first: [3, 3, 17, 23] } as const;
const COUNT = 3 * 17 * 23 * 3; // 3519 values: above tfjs' CPU hand-off size, not a multiple of 4 (7 words of tail).

/** Per-image, per-channel standardize-like coefficients with clip, post and BGR order. */
function richPlan(layout: 'channels_last' | 'channels_first'): AffinePlan {
  const means = [[120.5, 99.25, 130], [10, 250.75, 64], [128, 128, 128]];
  const stds = [[58.4, 57.1, 57.4], [3.5, 0.75, 99], [1, 2, 4]];
  return new AffinePlan(
    {
      images: 3,
      channels: 3,
      scale: stds.flat().map((s) => 1 / s),
      offset: means.flatMap((m, n) => m.map((v, c) => -v / stds[n][c])),
      clip: [-1, 1],
      post: { scale: 0.5, offset: 0.5 },
      channelOrder: [2, 0, 1],
    },
    { layout },
  );
}

describeWebGpu('fused affine kernel', () => {
  for (const layout of ['channels_last', 'channels_first'] as const) {
    const shape = [...SHAPES[layout]];
    const bytes = Uint8Array.from(randomInts(COUNT, 256, 3));
    const plan = richPlan(layout);

    it(`uint8 packed four to a word, per-image × per-channel, clip, post, channel order (${layout})`, async () => {
      const before = tf.memory().numTensors;
      const y = plan.apply({ data: bytes, shape });
      expect(y.dtype).toBe('float32');
      expect(y.shape).toEqual(shape);
      expect(worstError(await y.data(), expected(bytes, shape, layout, plan.coefficients))).toBeLessThanOrEqual(TOLERANCE);
      y.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`uint8 from an unaligned view (byteOffset 1) reads the right bytes (${layout})`, async () => {
      const backing = new Uint8Array(COUNT + 1);
      backing.set(bytes, 1);
      const y = plan.apply({ data: backing.subarray(1), shape });
      expect(worstError(await y.data(), expected(bytes, shape, layout, plan.coefficients))).toBeLessThanOrEqual(TOLERANCE);
      y.dispose();
    });

    it(`uint16 packed two to a word (${layout})`, async () => {
      const words = Uint16Array.from(randomInts(COUNT, 65536, 5));
      const k: AffineCoefficients = { images: 1, channels: 3, scale: [1 / 65535, 2 / 65535, 1 / 4095], offset: [0, -1, -0.5], clip: null, post: null };
      const y = new AffinePlan(k, { layout }).apply({ data: words, shape });
      expect(worstError(await y.data(), expected(words, shape, layout, k))).toBeLessThanOrEqual(TOLERANCE);
      y.dispose();
    });

    it(`int32 tensor, float32 tensor, float32 and float64 raw batches (${layout})`, async () => {
      const ints = Int32Array.from(bytes);
      const floats = Float64Array.from(bytes, (v, i) => v + (i % 4) * 0.25);
      const inputs = [
        { x: tf.tensor(ints, shape, 'int32'), values: ints },
        { x: tf.tensor(Float32Array.from(floats), shape, 'float32'), values: floats },
        { x: { data: Float32Array.from(floats), shape }, values: floats },
        { x: { data: floats, shape }, values: floats },
      ];
      for (const { x, values } of inputs) {
        const y = plan.apply(x);
        expect(worstError(await y.data(), expected(values, shape, layout, plan.coefficients))).toBeLessThanOrEqual(TOLERANCE);
        y.dispose();
        if (x instanceof tf.Tensor) x.dispose();
      }
    });
  }

  it('global coefficients over a grayscale batch without channel axis', async () => {
    const shape = [4, 31, 29];
    const bytes = Uint8Array.from(randomInts(4 * 31 * 29, 256, 9));
    const k: AffineCoefficients = { images: 1, channels: 1, scale: [1 / 127.5], offset: [-1], clip: null, post: null };
    const y = new AffinePlan(k).apply({ data: bytes, shape });
    expect(worstError(await y.data(), Float64Array.from(bytes, (v) => v / 127.5 - 1))).toBeLessThanOrEqual(TOLERANCE);
    y.dispose();
  });

  it('the inverse plan brings uint8 back exactly after rounding (device input, device output)', async () => {
    const shape = [...SHAPES.channels_last];
    const bytes = Uint8Array.from(randomInts(COUNT, 256, 13));
    const plan = new AffinePlan({ images: 1, channels: 3, scale: [1 / 58.4, 1 / 57.1, 1 / 57.4], offset: [-123.68 / 58.4, -116.78 / 57.1, -103.94 / 57.4], clip: null, post: null, channelOrder: [2, 1, 0] });
    const y = plan.apply({ data: bytes, shape });
    const back = plan.invert(y);
    // + 0 turns the -0 of values just below zero into 0.
    expect(Array.from(await back.data(), (v) => Math.round(v) + 0)).toEqual(Array.from(bytes));
    tf.dispose([y, back]);
  });

  it('packWords views aligned whole words and copies otherwise, little-endian', () => {
    const aligned = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const view = packWords(aligned, 4);
    expect(view.buffer).toBe(aligned.buffer);
    expect(Array.from(view)).toEqual([0x04030201, 0x08070605]);
    const tail = packWords(Uint8Array.from([1, 2, 3, 4, 5]), 4);
    expect(Array.from(tail)).toEqual([0x04030201, 5]);
    expect(Array.from(packWords(Uint16Array.from([1, 2, 65535]), 2))).toEqual([0x00020001, 0xffff]);
  });
});
