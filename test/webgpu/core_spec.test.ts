/**
 * The core spec on webgpu: every method × per × scope × layout × input kind
 * against the independent float64 reference of test/core, read back
 * asynchronously (Node has no synchronous GPU readback). The core suite's
 * own webgpu lane needs `await y.data()` in place of `y.dataSync()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { computeStats, createScaler, scale } from '../../src/index.js';
import { computeStatsOnDevice } from '../../src/kernels/webgpu/device_stats.js';
import { maxError, randomBytes, reference, refStats, type RefMethod } from '../core/reference.js';
import { describeWebGpu } from './webgpu_lane.js';

const METHODS: RefMethod[] = ['normalize', 'center', 'standardize', 'positive-standardize', 'min-max'];
const PERS = ['channel', 'global'] as const;
const SCOPES = ['image', 'batch'] as const;
const LAYOUTS = ['channels_last', 'channels_first'] as const;
const KINDS = ['uint8 raw', 'int32 tensor', 'float32 tensor', 'float32 raw'] as const;
const TOLERANCE = 1e-6;

function makeInput(kind: (typeof KINDS)[number], bytes: Uint8Array, shape: number[]) {
  const values = Float64Array.from(bytes, (v, i) => (kind.startsWith('float') ? v + (i % 4) * 0.25 : v));
  if (kind === 'uint8 raw') return { x: { data: bytes, shape }, values };
  if (kind === 'float32 raw') return { x: { data: Float32Array.from(values), shape }, values };
  if (kind === 'int32 tensor') return { x: tf.tensor(Int32Array.from(bytes), shape, 'int32'), values };
  return { x: tf.tensor(Float32Array.from(values), shape, 'float32'), values };
}

describeWebGpu('core spec (async reads)', () => {
  for (const layout of LAYOUTS) {
    // 27 × 17 pixels: an odd count, so packed words end mid-image.
    const shape = layout === 'channels_last' ? [3, 27, 17, 3] : [3, 3, 27, 17];
    const bytes = randomBytes(3 * 27 * 17 * 3, 7);
    for (const kind of KINDS) {
      it(`every method × per × scope, ${layout}, from ${kind}`, async () => {
        for (const method of METHODS) {
          for (const per of PERS) {
            for (const scope of SCOPES) {
              const before = tf.memory().numTensors;
              const { x, values } = makeInput(kind, bytes, shape);
              const y = scale(x, { method, per, scope, layout });
              expect(y.shape).toEqual(shape);
              const error = maxError(await y.data(), reference({ data: values, shape, layout, method, per, scope }));
              expect(error, `${method} per ${per} scope ${scope}`).toBeLessThanOrEqual(TOLERANCE);
              y.dispose();
              if (x instanceof tf.Tensor) x.dispose();
              expect(tf.memory().numTensors).toBe(before);
            }
          }
        }
      });
    }
  }

  it('volumes [N, D, H, W, C] (spatialDims 3) and grayscale images without a channel axis', async () => {
    const volume = randomBytes(2 * 4 * 5 * 6 * 2, 8);
    const y = scale({ data: volume, shape: [2, 4, 5, 6, 2] }, { method: 'standardize', scope: 'batch', spatialDims: 3 });
    const expected = reference({ data: volume, shape: [2, 120, 2], layout: 'channels_last', method: 'standardize', per: 'channel', scope: 'batch' });
    expect(maxError(await y.data(), expected)).toBeLessThanOrEqual(TOLERANCE);
    const gray = randomBytes(31 * 37, 9);
    const z = scale({ data: gray, shape: [31, 37] }, { method: 'min-max' });
    const g = refStats(Array.from(gray));
    expect(maxError(await z.data(), Float64Array.from(gray, (v) => (v - g.min) / (g.max - g.min)))).toBeLessThanOrEqual(TOLERANCE);
    tf.dispose([y, z]);
  });

  it('dataset scope with statistics fitted on the device equals the host fit', async () => {
    const train = randomBytes(8 * 16 * 16 * 3, 11);
    const test = randomBytes(2 * 16 * 16 * 3, 12);
    const device = await computeStatsOnDevice({ data: train, shape: [8, 16, 16, 3] });
    const host = computeStats({ data: train, shape: [8, 16, 16, 3] });
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(device.mean[c] - host.mean[c]) / host.mean[c]).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(device.std[c] - host.std[c]) / host.std[c]).toBeLessThanOrEqual(1e-12);
    }
    const scaler = createScaler({ method: 'standardize', stats: device });
    const y = scaler.apply({ data: test, shape: [2, 16, 16, 3] });
    const expected = Float64Array.from(test, (v, i) => (v - host.mean[i % 3]) / host.std[i % 3]);
    expect(maxError(await y.data(), expected)).toBeLessThanOrEqual(TOLERANCE);
    y.dispose();
  });
});
