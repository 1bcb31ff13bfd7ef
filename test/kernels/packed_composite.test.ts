/**
 * The 'tensorflow' kernel's body (tfjs ops: unpack the packed words with exact
 * int32 floorMod/floorDiv, then the shifted affine of composite.ts) run on the
 * cpu backend, where it is the 'cpu-composite' lane: the unpacked bytes equal
 * the input byte for byte; from packed uint8 the output equals the host kernel
 * bit for bit where the float32 chain is exact (within one float32 step
 * elsewhere: it rounds twice, the host once), and equals the op chain from an
 * int32 upload (0.1's tensorflow path) bit for bit always.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AffinePlan, setBackend } from '../../src/index.js';
import { affineAttrs } from '../../src/core/kernel_attrs.js';
import { kernelInput, packWords } from '../../src/core/kernel_input.js';
import { resolveGeometry } from '../../src/core/layout.js';
import { affineOps } from '../../src/kernels/ops/affine_ops.js';
import { unpackPixels } from '../../src/kernels/ops/unpack_pixels.js';

/** Every byte value, with high bytes in every word position (negative int32 words), and an odd length (padded last word). */
function bytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 151 + (i >> 8) * 7) & 255);
}

describe('the packed-uint8 tensorflow body on the cpu-composite lane', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });
  afterAll(() => undefined);

  it('unpacks uint8x4 and uint16x2 words exactly, including words whose top byte makes them negative', () => {
    for (const [data, packing] of [
      [bytes(4099), 'uint8x4'],
      [Uint16Array.from({ length: 1001 }, (_, i) => (i * 40503) & 0xffff), 'uint16x2'],
    ] as const) {
      const g = resolveGeometry([data.length, 1]);
      const words = tf.tensor1d(packWords(data, packing === 'uint8x4' ? 4 : 2), 'int32');
      expect(words.dataSync().some((w) => w < 0)).toBe(true);
      const pixels = unpackPixels(words, packing, g);
      expect(pixels.shape).toEqual([data.length, 1]);
      expect(Array.from(pixels.dataSync())).toEqual(Array.from(data));
      tf.dispose([words, pixels]);
    }
  });

  it('packed uint8 through the tfjs-op body equals the host kernel bit for bit where float32 arithmetic is exact, and within one float32 step elsewhere', () => {
    // Exact in float32 for every byte: dyadic scales and offsets (x/128 - 1, x/2 + 3.25, caffe-like integer means in BGR).
    const exact = [
      new AffinePlan({ images: 1, channels: 1, scale: [1 / 128], offset: [-1], clip: null, post: null }),
      new AffinePlan({ images: 1, channels: 3, scale: [0.5, 0.25, 2], offset: [3.25, -7, 0.125], clip: [-50, 300], post: { scale: 0.5, offset: 1 } }),
      new AffinePlan({ images: 1, channels: 3, scale: [1, 1, 1], offset: [-104, -117, -124], clip: null, post: null, channelOrder: [2, 1, 0] }),
    ];
    // Rounded twice by the float32 chain (x - shift) * scale + base: normalize, and the Keras 'torch' mode.
    const rounded = [
      new AffinePlan({ images: 1, channels: 1, scale: [1 / 255], offset: [0], clip: null, post: null }),
      new AffinePlan({ images: 1, channels: 3, scale: [1 / 255 / 0.229, 1 / 255 / 0.224, 1 / 255 / 0.225], offset: [-0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225], clip: null, post: null }),
    ];
    const shape = [3, 13, 7, 3];
    const data = bytes(3 * 13 * 7 * 3 + 1).subarray(1); // unaligned: the padded copy
    const g = resolveGeometry(shape);
    for (const plan of [...exact, ...rounded]) {
      const host = plan.apply({ data, shape }, { kernel: 'fused' });
      const words = tf.tensor1d(packWords(data, 4), 'int32');
      const before = tf.memory().numTensors;
      const composite = affineOps(words, affineAttrs(plan.coefficients, g, 'uint8x4'));
      expect(tf.memory().numTensors).toBe(before + 1);
      const a = host.dataSync();
      const b = composite.dataSync();
      expect(b.length).toBe(a.length);
      if (exact.includes(plan)) {
        for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`value ${i}: host ${a[i]}, tfjs ops ${b[i]}`);
      } else {
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(2 ** -23 * Math.max(1, Math.abs(a[i])));
      }
      tf.dispose([host, words, composite]);
    }
  });

  it('plan.apply with kernel composite packs raw uint8 (one byte per pixel uploaded) and matches the int32 upload exactly', () => {
    const plan = new AffinePlan({ images: 2, channels: 3, scale: [0.5, 0.25, 2, 1, 3, 0.125], offset: [1, 2, 3, -4, -5, -6], clip: [-100, 400], post: { scale: 0.5, offset: 1 } });
    const data = bytes(2 * 5 * 5 * 3);
    const shape = [2, 5, 5, 3];
    const before = tf.memory().numTensors;
    const packed = plan.apply({ data, shape }, { kernel: 'composite' });
    const int32 = tf.tensor(Int32Array.from(data), shape, 'int32');
    const widened = plan.apply(int32, { kernel: 'composite' });
    expect(Array.from(packed.dataSync())).toEqual(Array.from(widened.dataSync()));
    tf.dispose([packed, int32, widened]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('upload size of raw pixels', () => {
  it("uint8 travels at one byte per pixel packed (the 'tensorflow' kernel's input), four bytes widened to int32", () => {
    const data = bytes(32 * 7 * 7 * 3 + 2);
    const g = resolveGeometry([data.length, 1]);
    const packed = kernelInput({ data, shape: [data.length, 1] }, g, ['uint8x4', 'uint16x2']);
    const widened = kernelInput({ data, shape: [data.length, 1] }, g, []);
    expect(packed.packing).toBe('uint8x4');
    expect(packed.tensor.dtype).toBe('int32');
    expect(packed.tensor.size * 4).toBe(Math.ceil(data.length / 4) * 4);
    expect(widened.tensor.size * 4).toBe(4 * data.length);
    // An aligned batch that fills whole words is viewed, not copied.
    const aligned = new Uint8Array(64);
    const view = kernelInput({ data: aligned, shape: [64, 1] }, resolveGeometry([64, 1]), ['uint8x4']);
    expect((view.tensor.dataSync() as Int32Array).buffer).toBe(aligned.buffer);
    tf.dispose([packed.tensor, widened.tensor, view.tensor]);
  });
});
