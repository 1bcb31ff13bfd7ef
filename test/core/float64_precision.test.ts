/** Float64 pixels keep their precision on every lane, float32 kernels included (the shift is taken off on the host). */
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AffinePlan } from '../../src/index.js';
import { describeLanes } from '../helpers/lanes.js';

/** Channel c of image n holds 1e6 + 1000·c + a few hundredths: float32 holds 1e6 only to multiples of 0.0625. */
function offsetData(N: number, P: number, C: number, layout: 'channels_last' | 'channels_first'): Float64Array {
  const data = new Float64Array(N * P * C);
  for (let n = 0; n < N; n++) {
    for (let p = 0; p < P; p++) {
      for (let c = 0; c < C; c++) {
        const index = layout === 'channels_last' ? (n * P + p) * C + c : (n * C + c) * P + p;
        data[index] = 1e6 + c * 1000 + (((n * P + p) * 7919 + c) % 101) / 100;
      }
    }
  }
  return data;
}

await describeLanes((lane) => {
  for (const layout of ['channels_last', 'channels_first'] as const) {
    for (const order of [null, [2, 0, 1]] as const) {
      it(`standardizes float64 data offset by 1e6 to 1e-5 of its spread: ${layout}, channel order ${order ? order.join('') : 'kept'}`, async () => {
        const [N, H, W, C] = [2, 4, 5, 3];
        const data = offsetData(N, H * W, C, layout);
        const shape = layout === 'channels_last' ? [N, H, W, C] : [N, C, H, W];
        // Per (image, output channel) mean m and std 0.3: y = (x - m) / 0.3 for the input channel that output channel reads.
        const mean = (n: number, c: number) => 1e6 + c * 1000 + 0.5 + n * 0.01;
        const scale: number[] = [];
        const offset: number[] = [];
        for (let n = 0; n < N; n++) {
          for (let c = 0; c < C; c++) {
            const source = order ? order[c] : c;
            scale.push(1 / 0.3);
            offset.push(-mean(n, source) / 0.3);
          }
        }
        const plan = new AffinePlan({ images: N, channels: C, scale, offset, clip: null, post: null, channelOrder: order }, { layout });
        const before = tf.memory().numTensors;
        const y = plan.apply({ data, shape }, { kernel: lane.kernel });
        const got = await y.data();
        y.dispose();
        expect(tf.memory().numTensors).toBe(before);
        // Independent float64 reference, index by index.
        let worst = 0;
        for (let n = 0; n < N; n++) {
          for (let p = 0; p < H * W; p++) {
            for (let c = 0; c < C; c++) {
              const source = order ? order[c] : c;
              const inIndex = layout === 'channels_last' ? (n * H * W + p) * C + source : (n * C + source) * H * W + p;
              const outIndex = layout === 'channels_last' ? (n * H * W + p) * C + c : (n * C + c) * H * W + p;
              const want = (data[inIndex] - mean(n, source)) / 0.3;
              worst = Math.max(worst, Math.abs(got[outIndex] - want));
            }
          }
        }
        // Rounding x to float32 first would be off by up to 0.03 / 0.3 = 0.1 here.
        expect(worst).toBeLessThan(1e-5);
      });
    }
  }
});
