/**
 * Every method × per × scope × layout × input type on every backend lane,
 * against the independent float64 reference in reference.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AffinePlan, computeStats, scale } from '../../src/index.js';
import { describeLanes } from '../helpers/lanes.js';
import { indexOf, maxError, randomBytes, reference, refStats, type RefCase, type RefMethod } from './reference.js';

const METHODS: RefMethod[] = ['normalize', 'center', 'standardize', 'positive-standardize', 'min-max'];
const PERS = ['channel', 'global'] as const;
const SCOPES = ['image', 'batch'] as const;
const LAYOUTS = ['channels_last', 'channels_first'] as const;
const TOLERANCE = 1e-6;

type InputKind = 'uint8 raw' | 'int32 tensor' | 'float32 tensor' | 'float32 raw';
const INPUT_KINDS: InputKind[] = ['uint8 raw', 'int32 tensor', 'float32 tensor', 'float32 raw'];

/** Builds the input of a kind; float inputs get a fractional part so they are not integers. */
function makeInput(kind: InputKind, bytes: Uint8Array, shape: number[]): { x: tf.Tensor | { data: Uint8Array | Float32Array; shape: number[] }; values: Float64Array } {
  const values = Float64Array.from(bytes, (v, i) => (kind.startsWith('float') ? v + ((i % 4) * 0.25) : v));
  if (kind === 'uint8 raw') return { x: { data: bytes, shape }, values };
  if (kind === 'float32 raw') return { x: { data: Float32Array.from(values), shape }, values };
  if (kind === 'int32 tensor') return { x: tf.tensor(Int32Array.from(bytes), shape, 'int32'), values };
  return { x: tf.tensor(Float32Array.from(values), shape, 'float32'), values };
}

await describeLanes((lane) => {

  for (const layout of LAYOUTS) {
    const shape = layout === 'channels_last' ? [3, 5, 4, 3] : [3, 3, 5, 4];
    const bytes = randomBytes(3 * 5 * 4 * 3, 7);
    for (const kind of INPUT_KINDS) {
      for (const method of METHODS) {
        for (const per of PERS) {
          for (const scope of SCOPES) {
            it(`${method} per ${per} scope ${scope} ${layout} from ${kind}`, async () => {
              const before = tf.memory().numTensors;
              const { x, values } = makeInput(kind, bytes, shape);
              const y = scale(x, { method, per, scope, layout, kernel: lane.kernel });
              expect(y.dtype).toBe('float32');
              expect(y.shape).toEqual(shape);
              const expected = reference({ data: values, shape, layout, method, per, scope } satisfies RefCase);
              expect(maxError((await y.data()), expected)).toBeLessThanOrEqual(TOLERANCE);
              y.dispose();
              if (x instanceof tf.Tensor) x.dispose();
              expect(tf.memory().numTensors).toBe(before);
            });
          }
        }
      }
    }
  }

  it('constant data never yields NaN: standardize → 0, min-max → 0, positive-standardize → 0.5', async () => {
    const x = { data: new Uint8Array(2 * 4 * 4 * 3).fill(200), shape: [2, 4, 4, 3] };
    for (const method of METHODS) {
      const y = scale(x, { method, scope: 'batch', kernel: lane.kernel });
      const expected = reference({ data: x.data, shape: x.shape, layout: 'channels_last', method, per: 'channel', scope: 'batch' });
      expect(maxError((await y.data()), expected)).toBeLessThanOrEqual(TOLERANCE);
      const exact = { center: 0, standardize: 0, 'min-max': 0, 'positive-standardize': 0.5 } as Record<string, number>;
      if (method in exact) expect(new Set((await y.data()))).toEqual(new Set([exact[method]]));
      y.dispose();
    }
    expect(() => scale(x, { method: 'standardize', scope: 'batch', zeroVariance: 'error', kernel: lane.kernel })).toThrow(/standard deviation of at least epsilon/);
  });

  it('dataset scope uses the given statistics: published constants and a PixelStats fit', async () => {
    const train = randomBytes(4 * 6 * 6 * 3, 11);
    const test = randomBytes(2 * 6 * 6 * 3, 12);
    const shape = [2, 6, 6, 3];
    const channel = (data: Uint8Array, c: number) => Array.from(data).filter((_, i) => i % 3 === c);
    const groups = [0, 1, 2].map((c) => refStats(channel(train, c)));
    const fitted = computeStats({ data: train, shape: [4, 6, 6, 3] });
    const constants = { mean: groups.map((g) => g.mean), std: groups.map((g) => g.std) };
    for (const stats of [fitted, constants]) {
      const y = scale({ data: test, shape }, { method: 'standardize', stats, kernel: lane.kernel });
      const expected = Float64Array.from(test, (v, i) => (v - groups[i % 3].mean) / groups[i % 3].std);
      expect(maxError((await y.data()), expected)).toBeLessThanOrEqual(TOLERANCE);
      y.dispose();
    }
    const global = refStats(Array.from(train));
    const y = scale({ data: test, shape }, { method: 'min-max', per: 'global', stats: fitted, kernel: lane.kernel });
    expect(maxError((await y.data()), Float64Array.from(test, (v) => (v - global.min) / (global.max - global.min)))).toBeLessThanOrEqual(TOLERANCE);
    y.dispose();
  });

  it('a plan whose -offset/scale is beyond float32 still gives finite values on every kernel', async () => {
    const plan = new AffinePlan({ images: 1, channels: 1, scale: [1e-3], offset: [1e36], clip: null, post: null });
    const y = plan.apply({ data: new Uint8Array([0, 100, 255]), shape: [1, 3] }, { kernel: lane.kernel });
    expect(maxError(await y.data(), [1e36, 1e36, 1e36])).toBeLessThanOrEqual(1e-6);
    y.dispose();
  });

  it('rescale applies any affine (Keras "tf" mode x/127.5 - 1) and per-channel values', async () => {
    const data = randomBytes(2 * 3 * 3 * 3, 5);
    const x = { data, shape: [2, 3, 3, 3] };
    const y = scale(x, { method: 'rescale', scale: 1 / 127.5, offset: -1, kernel: lane.kernel });
    expect(maxError((await y.data()), Float64Array.from(data, (v) => v / 127.5 - 1))).toBeLessThanOrEqual(TOLERANCE);
    const z = scale(x, { method: 'rescale', scale: [1, 2, 3], offset: [0, -1, -2], kernel: lane.kernel });
    expect(maxError((await z.data()), Float64Array.from(data, (v, i) => v * [1, 2, 3][i % 3] + [0, -1, -2][i % 3]))).toBeLessThanOrEqual(TOLERANCE);
    y.dispose();
    z.dispose();
  });

  it('normalize takes the input range and a target range; uint16 defaults to [0, 65535]', async () => {
    const data = new Uint16Array([0, 1000, 4095, 65535]);
    const y = scale({ data, shape: [2, 2] }, { method: 'normalize', kernel: lane.kernel });
    expect(maxError((await y.data()), Float64Array.from(data, (v) => v / 65535))).toBeLessThanOrEqual(TOLERANCE);
    const z = scale({ data, shape: [2, 2] }, { method: 'normalize', range: [0, 4095], target: [-1, 1], kernel: lane.kernel });
    expect(maxError((await z.data()), Float64Array.from(data, (v) => (v / 4095) * 2 - 1))).toBeLessThanOrEqual(TOLERANCE);
    y.dispose();
    z.dispose();
  });

  it('ranks 2 to 5 and any channel count: grayscale [H,W], one image, volumes [N,D,H,W,C] both layouts', async () => {
    const cases: { shape: number[]; refShape: number[]; layout: 'channels_last' | 'channels_first'; spatialDims: 2 | 3 }[] = [
      { shape: [6, 7], refShape: [1, 6, 7, 1], layout: 'channels_last', spatialDims: 2 },
      { shape: [6, 7, 4], refShape: [1, 6, 7, 4], layout: 'channels_last', spatialDims: 2 },
      { shape: [2, 6, 7], refShape: [1, 2, 6, 7], layout: 'channels_first', spatialDims: 2 },
      { shape: [2, 3, 4, 5, 2], refShape: [2, 3, 4, 5, 2], layout: 'channels_last', spatialDims: 3 },
      { shape: [2, 5, 3, 4, 2], refShape: [2, 5, 3, 4, 2], layout: 'channels_first', spatialDims: 3 },
      { shape: [3, 4, 4, 1], refShape: [3, 4, 4, 1], layout: 'channels_last', spatialDims: 2 },
    ];
    for (const c of cases) {
      const data = randomBytes(c.shape.reduce((a, b) => a * b, 1), c.shape.length);
      for (const scope of SCOPES) {
        const y = scale({ data, shape: c.shape }, { method: 'standardize', scope, layout: c.layout, spatialDims: c.spatialDims, kernel: lane.kernel });
        expect(y.shape).toEqual(c.shape);
        const expected = reference({ data, shape: c.refShape, layout: c.layout, method: 'standardize', per: 'channel', scope });
        expect(maxError((await y.data()), expected), `${c.shape} ${scope}`).toBeLessThanOrEqual(TOLERANCE);
        y.dispose();
      }
    }
  });

  it('a batch of 64×224×224×3 standardized per channel has mean 0 and std 1 to 1e-6', async () => {
    const shape = [64, 224, 224, 3];
    const data = randomBytes(shape.reduce((a, b) => a * b, 1), 3);
    // Skew channel 1 so a float32 running sum would drift visibly.
    for (let i = 1; i < data.length; i += 3) data[i] = 200 + (data[i] % 56);
    const y = scale({ data, shape }, { method: 'standardize', scope: 'batch', kernel: lane.kernel });
    const out = (await y.data());
    y.dispose();
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      let n = 0;
      for (let i = c; i < out.length; i += 3, n++) sum += out[i];
      const mean = sum / n;
      let ss = 0;
      for (let i = c; i < out.length; i += 3) ss += (out[i] - mean) ** 2;
      expect(Math.abs(mean)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(Math.sqrt(ss / n) - 1)).toBeLessThanOrEqual(1e-6);
    }
  });
});

describe('reference self-check', () => {
  it('indexOf agrees between layouts for a transposed array', async () => {
    // [1,2,2,2] channels_last value (n=0,c=1,p=3) sits at 7; channels_first at 1*4+3 = 7 too, p=2 → 5 vs 6.
    expect(indexOf([1, 2, 2, 2], 'channels_last', 0, 1, 2)).toBe(5);
    expect(indexOf([1, 2, 2, 2], 'channels_first', 0, 1, 2)).toBe(6);
  });
});
