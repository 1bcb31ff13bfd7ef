/** invert(apply(x)) recovers x on every lane; plans and scalers survive JSON. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AffinePlan, Scaler, computeStats, createScaler } from '../../src/index.js';
import { describeLanes } from '../helpers/lanes.js';
import { maxError, randomBytes } from './reference.js';

const INVERTIBLE = ['normalize', 'center', 'standardize', 'min-max'] as const;
const roundToBytes = (values: ArrayLike<number>) => Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.round(v))));

await describeLanes((lane) => {

  for (const layout of ['channels_last', 'channels_first'] as const) {
    for (const method of INVERTIBLE) {
      for (const scope of ['image', 'batch'] as const) {
        it(`uint8 round trip is exact after rounding: ${method} scope ${scope} ${layout}`, async () => {
          const before = tf.memory().numTensors;
          const data = randomBytes(4 * 8 * 8 * 3, 21);
          const x = { data, shape: layout === 'channels_last' ? [4, 8, 8, 3] : [4, 3, 8, 8] };
          const scaler = createScaler({ method, scope, layout, kernel: lane.kernel });
          const plan = scaler.plan(x);
          const y = plan.apply(x, { kernel: lane.kernel });
          const back = scaler.invert(y, plan);
          expect(roundToBytes((await back.data()))).toEqual(data);
          tf.dispose([y, back]);
          expect(tf.memory().numTensors).toBe(before);
        });
      }
    }
  }

  it('positive-standardize inverts every value the clip did not touch', async () => {
    const data = randomBytes(2 * 6 * 6 * 3, 4);
    const x = { data, shape: [2, 6, 6, 3] };
    const scaler = createScaler({ method: 'positive-standardize', scope: 'batch', kernel: lane.kernel });
    const plan = scaler.plan(x);
    const y = plan.apply(x, { kernel: lane.kernel });
    const back = plan.invert(y, { kernel: lane.kernel });
    const yv = (await y.data());
    const bv = (await back.data());
    let checked = 0;
    data.forEach((v, i) => {
      if (yv[i] > 0 && yv[i] < 1) {
        expect(Math.round(bv[i])).toBe(v);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(data.length / 2);
    tf.dispose([y, back]);
  });

  it('a channel-reordering plan (RGB→BGR, as Keras caffe mode) inverts exactly in both layouts', async () => {
    const data = randomBytes(2 * 4 * 4 * 3, 9);
    for (const layout of ['channels_last', 'channels_first'] as const) {
      const plan = new AffinePlan(
        { images: 1, channels: 3, scale: [1, 1, 1], offset: [-103.939, -116.779, -123.68], clip: null, post: null, channelOrder: [2, 1, 0] },
        { layout },
      );
      const shape = layout === 'channels_last' ? [2, 4, 4, 3] : [2, 3, 4, 4];
      const y = plan.apply({ data, shape }, { kernel: lane.kernel });
      // Reference: channel c of y is input channel 2 - c minus the BGR mean of c.
      const means = [103.939, 116.779, 123.68];
      const expected = new Float64Array(data.length);
      for (let n = 0; n < 2; n++) {
        for (let p = 0; p < 16; p++) {
          for (let c = 0; c < 3; c++) {
            const at = (ch: number) => (layout === 'channels_last' ? (n * 16 + p) * 3 + ch : (n * 3 + ch) * 16 + p);
            expected[at(c)] = data[at(2 - c)] - means[c];
          }
        }
      }
      expect(maxError((await y.data()), expected)).toBeLessThanOrEqual(1e-6);
      const back = plan.invert(y, { kernel: lane.kernel });
      expect(roundToBytes((await back.data()))).toEqual(data);
      tf.dispose([y, back]);
    }
  });
});

describe('serialization', () => {
  it('AffinePlan JSON round trip keeps every coefficient', async () => {
    const plan = new AffinePlan({ images: 2, channels: 3, scale: [1, 2, 3, 4, 5, 6], offset: [0, 1, 2, 3, 4, 5], clip: [-1, 1], post: { scale: 0.5, offset: 0.5 }, channelOrder: [1, 2, 0] }, { layout: 'channels_first', spatialDims: 3 });
    const json = JSON.parse(JSON.stringify(plan));
    expect(json.format).toBe('pixelprep-plan');
    const back = AffinePlan.fromJSON(json);
    expect(back.toJSON()).toEqual(plan.toJSON());
    expect(() => AffinePlan.fromJSON({ ...json, version: 2 })).toThrow(/version 1/);
    expect(() => AffinePlan.fromJSON({ format: 'other' })).toThrow(/pixelprep-plan/);
  });

  it('Scaler JSON round trip gives the same output (dataset statistics included)', async () => {
    const train = { data: randomBytes(3 * 5 * 5 * 3, 30), shape: [3, 5, 5, 3] };
    const x = { data: randomBytes(5 * 5 * 3, 31), shape: [5, 5, 3] };
    for (const options of [
      { method: 'standardize' as const, stats: computeStats(train) },
      { method: 'min-max' as const, per: 'global' as const, stats: computeStats(train) },
      { method: 'normalize' as const, range: [0, 4095] as [number, number], target: [-1, 1] as [number, number] },
      { method: 'rescale' as const, scale: [1, 2, 3], offset: -1 },
      { method: 'positive-standardize' as const, scope: 'batch' as const, epsilon: 1e-3 },
    ]) {
      const a = createScaler(options);
      const b = Scaler.fromJSON(JSON.parse(JSON.stringify(a)));
      expect(b.toJSON()).toEqual(a.toJSON());
      const ya = a.apply(x);
      const yb = b.apply(x);
      expect((await yb.data())).toEqual((await ya.data()));
      tf.dispose([ya, yb]);
    }
  });
});
