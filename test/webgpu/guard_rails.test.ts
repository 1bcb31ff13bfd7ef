/**
 * What tfjs-backend-webgpu does silently, pixelprep turns into exceptions:
 * WGSL validation errors (zeros), int32 buffers behind float32 tensors,
 * synchronous reads Node cannot do, NaN living on the GPU, a lost device.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { setBackend } from '../../src/backends/select.js';
import { AffinePlan } from '../../src/core/plan.js';
import { isPixelprepBackend } from '../../src/kernels/webgpu/webgpu_backend.js';
import { describeWebGpu, randomInts, worstError } from './webgpu_lane.js';

// Above tfjs' CPU hand-off size (1000 values), so tfjs' own ops run on the device.
const SHAPE = [4, 20, 30];
const COUNT = 4 * 20 * 30;

/** [d0, d1, d2] → [d2, d0, d1] on the host. */
function transposeHost(values: ArrayLike<number>, [d0, d1, d2]: number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < d2; k++) for (let i = 0; i < d0; i++) for (let j = 0; j < d1; j++) out.push(values[(i * d1 + j) * d2 + k]);
  return out;
}

const plan = new AffinePlan({ images: 1, channels: 1, scale: [1 / 255], offset: [0], clip: null, post: null });

describeWebGpu('guard rails', () => {
  it('a WGSL validation error in a tfjs op is an E_BACKEND error on read, not zeros', async () => {
    const ints = tf.tensor(Int32Array.from(randomInts(COUNT, 100, 31)), SHAPE, 'int32');
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    // tfjs 4.22's transpose shader rejects int32 buffers (tensorflow/tfjs issue 8638).
    const t = tf.transpose(ints, [2, 0, 1]);
    tf.env().set('WEBGPU_CPU_FORWARD', true);
    await expect(t.data()).rejects.toMatchObject({ code: 'E_BACKEND', message: expect.stringMatching(/TransposeProgram|WGSL/) });
    tf.dispose([ints, t]);
    // Reported once: the backend keeps working afterwards.
    const y = plan.apply({ data: new Uint8Array(COUNT).fill(51), shape: SHAPE });
    expect(worstError(await y.data(), new Float64Array(COUNT).fill(0.2))).toBeLessThanOrEqual(1e-7);
    y.dispose();
  });

  it('cast int32 → float32 makes a real float32 buffer: transpose and inner-axis means are right', async () => {
    const values = randomInts(COUNT, 100, 32);
    const ints = tf.tensor(Int32Array.from(values), SHAPE, 'int32');
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    const floats = tf.cast(ints, 'float32');
    const t = tf.transpose(floats, [2, 0, 1]);
    const mean = tf.mean(floats, [0, 1]);
    tf.env().set('WEBGPU_CPU_FORWARD', true);
    expect(Array.from(await t.data())).toEqual(transposeHost(values, SHAPE));
    const expectedMean = Array.from({ length: 30 }, (_, k) => values.filter((_, i) => i % 30 === k).reduce((a, b) => a + b, 0) / 80);
    expect(worstError(await mean.data(), expectedMean)).toBeLessThanOrEqual(1e-6);
    tf.dispose([ints, floats, t, mean]);
  });

  it('the composite op chain on webgpu (kernel composite) is right from uint8, with channel order', async () => {
    const bytes = Uint8Array.from(randomInts(COUNT * 3, 256, 33));
    const rgb = new AffinePlan({ images: 1, channels: 3, scale: [1 / 58.4, 1 / 57.1, 1 / 57.4], offset: [-2, -2, -1.8], clip: null, post: null, channelOrder: [2, 1, 0] });
    const y = rgb.apply({ data: bytes, shape: [...SHAPE, 3] }, { kernel: 'composite' });
    const s = [1 / 58.4, 1 / 57.1, 1 / 57.4];
    const o = [-2, -2, -1.8];
    const expected = Float64Array.from(bytes, (_, i) => bytes[i - (i % 3) + (2 - (i % 3))] * s[i % 3] + o[i % 3]);
    expect(worstError(await y.data(), expected)).toBeLessThanOrEqual(1e-6);
    y.dispose();
  });

  it('a synchronous read of GPU-only data says to read asynchronously; host-made tensors stay readable', async () => {
    const x = tf.tensor(Float32Array.from(randomInts(COUNT, 256, 34)), SHAPE);
    const y = plan.apply(x);
    expect(() => y.dataSync()).toThrow(/await tensor\.data\(\)/);
    expect(Array.from(x.dataSync())).toEqual(randomInts(COUNT, 256, 34));
    expect(worstError(await y.data(), randomInts(COUNT, 256, 34).map((v) => v / 255))).toBeLessThanOrEqual(1e-6);
    tf.dispose([x, y]);
  });

  it('NaN or Infinity: host data throws at once, GPU-only data throws when the result is read', async () => {
    const data = new Float32Array(COUNT).fill(1);
    data[777] = NaN;
    expect(() => plan.apply({ data, shape: SHAPE })).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
    data[777] = Infinity;
    expect(() => plan.apply({ data, shape: SHAPE })).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
    const before = tf.memory().numTensors;
    const ones = tf.ones(SHAPE);
    const zero = tf.scalar(0);
    const inf = tf.div(ones, zero); // ±Infinity made on the device
    const y = plan.apply(inf);
    await expect(y.data()).rejects.toMatchObject({ code: 'E_VALUE' });
    tf.dispose([ones, zero, inf, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a lost device is reported clearly, and setBackend starts a new one', async () => {
    const backend = tf.backend();
    if (!isPixelprepBackend(backend)) throw new Error('expected pixelprep webgpu backend');
    backend.device.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const x = { data: new Uint8Array(COUNT).fill(255), shape: SHAPE };
    expect(() => plan.apply(x)).toThrow(/device was lost.*setBackend\('webgpu'\)/);
    await setBackend('webgpu');
    expect(tf.backend()).not.toBe(backend);
    const y = plan.apply(x);
    expect(new Set(await y.data())).toEqual(new Set([1]));
    y.dispose();
  });
});
