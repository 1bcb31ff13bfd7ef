/**
 * Conventions on every backend lane (fused kernels and the tfjs op chain):
 * the policy and the albumentations clip live in the plan, so every lane
 * computes the same formula.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { CONVENTIONS, scale } from '../../src/index.js';
import { describeLanes } from '../helpers/lanes.js';

/** 1000 pixels, channel 0 with one outlier (clipped at 20 by albumentations), channel 1 constant. */
const N = 1000;
const data = Float32Array.from({ length: N * 2 }, (_, i) => (i % 2 === 1 ? 0.5 : i === 0 ? 1 : i % 10 === 2 ? 0.002 : 0));

function reference(convention: string): number[] {
  const xs = Array.from({ length: N }, (_, p) => data[p * 2]);
  const mean = xs.reduce((a, b) => a + b, 0) / N;
  const std = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / N);
  const divisor = convention === 'keras' ? Math.max(std, 1e-7) : convention === 'keras-idg' ? std + 1e-6 : convention === 'albumentations' ? std + 1e-4 : std;
  return Array.from(data, (v, i) => {
    if (i % 2 === 1) return 0;
    const y = (v - mean) / divisor;
    return convention === 'albumentations' ? Math.min(20, Math.max(-20, y)) : y;
  });
}

await describeLanes((lane) => {
  for (const convention of CONVENTIONS.filter((c) => c !== 'torchvision')) {
    it(`${convention}: standardize per channel with a constant channel`, async () => {
      const y = scale({ data, shape: [1, N, 1, 2] }, { method: 'standardize', convention, kernel: lane.kernel });
      const got = await y.data();
      y.dispose();
      const want = reference(convention);
      want.forEach((w, i) => expect(Math.abs(got[i] - w)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(w))));
      if (convention === 'albumentations') expect(got[0]).toBe(20);
    });
  }
  it('torchvision refuses the constant channel, leaking no tensor', () => {
    const before = tf.memory().numTensors;
    expect(() => scale({ data, shape: [1, N, 1, 2] }, { method: 'standardize', convention: 'torchvision', kernel: lane.kernel })).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
    expect(tf.memory().numTensors).toBe(before);
  });
});
