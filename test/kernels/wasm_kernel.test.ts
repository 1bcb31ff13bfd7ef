import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backends/select.js';
import '../../src/kernels/register_all_kernels.js';
import { AffinePlan } from '../../src/core/plan.js';
import { lanes } from '../helpers/lanes.js';

const wasmLane = (await lanes()).find((l) => l.name === 'wasm');
const plan = new AffinePlan({ images: 1, channels: 3, scale: [1 / 58.4, 1 / 57.1, 1 / 57.4], offset: [-123.68 / 58.4, -116.78 / 57.1, -103.94 / 57.4], clip: [-1, 1], post: { scale: 0.5, offset: 0.5 } });

function batch(n: number): { data: Uint8Array; shape: number[] } {
  const data = new Uint8Array(n * 40 * 30 * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 7)) & 255;
  return { data, shape: [n, 40, 30, 3] };
}

describe("PixelprepAffine on wasm (the host kernel into the backend's heap)", () => {
  if (!wasmLane?.available) {
    it.skip(`wasm: ${wasmLane?.reason ?? 'no wasm lane'}`, () => undefined);
    return;
  }

  afterAll(async () => {
    await setBackend('cpu');
  });

  it('makes a float32 tensor in the wasm heap with exactly the float64 formula rounded once, leaking nothing', async () => {
    await setBackend('wasm');
    const x = batch(4);
    const before = tf.memory().numTensors;
    const y = plan.apply(x);
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual(x.shape);
    const values = Array.from(y.dataSync());
    // The output lives in the wasm heap: the backend's own storage holds it.
    expect(tf.engine().backend.readSync(y.dataId)).toBeInstanceOf(Float32Array);
    for (let i = 0; i < x.data.length; i++) {
      const c = i % 3;
      const s = plan.coefficients.scale[c];
      const o = plan.coefficients.offset[c];
      const v = x.data[i] * s + o;
      const want = Math.fround((v < -1 ? -1 : v > 1 ? 1 : v) * 0.5 + 0.5);
      if (!Object.is(values[i], want)) throw new Error(`y[${i}] = ${values[i]}, expected ${want}`);
    }
    // The tensor works with other wasm ops.
    const sum = tf.tidy(() => tf.sum(y).dataSync()[0]);
    expect(sum).toBeCloseTo(values.reduce((a: number, b: number) => a + b, 0), 0);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
