/**
 * The gradient registered for PixelprepAffine, on every lane: d/dx sum(plan(x))
 * is scale[c] * post.scale where the clip did not clamp, 0 where it did, with
 * the channel permutation undone, checked against a float64 loop written here.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's own ops' gradients (tf.sum's), as @tensorflow/tfjs and tfjs-layers register them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { expect, it } from 'vitest';
import { AffinePlan } from '../../src/index.js';
import { describeLanes } from '../helpers/lanes.js';

const scale = [1 / 20, 1 / 30, 1 / 40, 1 / 50, 1 / 60, 1 / 70];
const offset = [-5, -4, -3.5, -2, -1, -0.5];
const pixels = 4 * 3 * 2; // N × H × W

function values(C: number): Float32Array {
  return Float32Array.from({ length: pixels * C }, (_, i) => ((i * 97) % 255) + 0.25);
}

/** dy/dx of sum(y) at x, channels last, computed in float64. */
function expectedGradient(x: Float32Array, plan: AffinePlan): number[] {
  const k = plan.coefficients;
  const C = k.channels;
  const order = k.channelOrder ?? Array.from({ length: C }, (_, c) => c);
  const grad = new Array<number>(x.length).fill(0);
  for (let p = 0; p < x.length / C; p++) {
    for (let c = 0; c < C; c++) {
      const source = p * C + order[c];
      const z = x[source] * k.scale[c] + k.offset[c];
      const inside = !k.clip || (z >= k.clip[0] && z <= k.clip[1]);
      grad[source] += inside ? k.scale[c] * (k.post?.scale ?? 1) : 0;
    }
  }
  return grad;
}

await describeLanes((lane) => {
  const cases: [string, AffinePlan][] = [
    ['per-channel scale', new AffinePlan({ images: 1, channels: 3, scale: scale.slice(0, 3), offset: offset.slice(0, 3), clip: null, post: null })],
    ['clip and post step', new AffinePlan({ images: 1, channels: 3, scale: scale.slice(0, 3), offset: offset.slice(0, 3), clip: [-1, 1], post: { scale: 0.5, offset: 0.5 } })],
    ['channel order (BGR) with clip', new AffinePlan({ images: 1, channels: 3, scale: scale.slice(0, 3), offset: offset.slice(0, 3), clip: [-2, 2], post: null, channelOrder: [2, 1, 0] })],
    ['six channels, shared scale', new AffinePlan({ images: 1, channels: 1, scale: [0.25], offset: [-3], clip: null, post: { scale: -2, offset: 1 } })],
  ];
  for (const [name, plan] of cases) {
    it(`gradient of sum(plan.apply(x)) equals the plan's scale: ${name}`, async () => {
      const C = name.startsWith('six') ? 6 : 3;
      const data = values(C);
      const x = tf.tensor(data, [4, 3, 2, C], 'float32');
      const before = tf.memory().numTensors;
      const grad = tf.grad((input: tf.Tensor) => tf.sum(plan.apply(input, { kernel: lane.kernel })))(x);
      const got = await grad.data();
      const want = expectedGradient(data, plan);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(want[i])));
      if (plan.coefficients.clip) expect(want.some((v) => v === 0) && want.some((v) => v !== 0)).toBe(true);
      grad.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });
  }

  it('an int32 input gets the float32 gradient, as through tfjs Cast', async () => {
    const plan = cases[1][1];
    const data = values(3).map(Math.floor);
    const x = tf.tensor(Int32Array.from(data), [4, 3, 2, 3], 'int32');
    const grad = tf.grad((input: tf.Tensor) => tf.sum(plan.apply(input, { kernel: lane.kernel })))(x);
    const got = await grad.data();
    const want = expectedGradient(Float32Array.from(data), plan);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-7);
    tf.dispose([x, grad]);
  });
});
