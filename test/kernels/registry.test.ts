/**
 * The kernel registry: every kernel exists for every backend in the list (a
 * completeness check that fails when a folder forgets one), they are the ones
 * tfjs finds after setBackend, plan.apply shows in tf.profile, and a backend
 * with no kernels of its own gets the composite ones on first use.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterAll, describe, expect, it } from 'vitest';
import { AffinePlan, computeStats, PixelprepAffine, setBackend } from '../../src/index.js';
import { BACKEND_KERNELS } from '../../src/kernels/register_all_kernels.js';
import { KERNEL_NAMES } from '../../src/core/kernel_registry.js';
import { lanes } from '../helpers/lanes.js';

const KERNELS = KERNEL_NAMES;
const available = new Map((await lanes()).filter((l) => l.kernel === 'auto').map((l) => [l.backend, l]));

describe('kernel registry', () => {
  afterAll(async () => {
    await setBackend('cpu');
  });

  it('every backend in the registration list has both kernels', () => {
    expect(BACKEND_KERNELS.map((b) => b.backendName)).toEqual(['cpu', 'wasm', 'webgpu', 'webgl', 'tensorflow']);
    for (const backend of BACKEND_KERNELS) {
      const names = backend.configs.map((c) => c.kernelName);
      for (const kernel of KERNELS) {
        expect(names, `${backend.backendName} lacks ${kernel}`).toContain(kernel);
        expect(tf.getKernel(kernel, backend.backendName)?.backendName).toBe(backend.backendName);
      }
      expect(backend.configs.every((c) => c.backendName === backend.backendName)).toBe(true);
    }
    expect(tf.getGradient(PixelprepAffine)?.inputsToSave).toEqual(['x']);
  });

  for (const name of ['cpu', 'wasm', 'webgpu'] as const) {
    const lane = available.get(name);
    it.skipIf(!lane?.available)(`after setBackend('${name}') tfjs runs pixelprep's kernels there${lane?.available ? '' : ` (skipped: ${lane?.reason})`}`, async () => {
      await setBackend(name);
      for (const kernel of KERNELS) expect(tf.getKernel(kernel, tf.getBackend())).toBeDefined();
      const plan = new AffinePlan({ images: 1, channels: 1, scale: [2], offset: [1], clip: null, post: null });
      const before = tf.memory().numTensors;
      const profile = await tf.profile(async () => {
        const y = plan.apply({ data: new Uint8Array([0, 1, 2, 3, 250]), shape: [5, 1] });
        expect(Array.from(await y.data())).toEqual([1, 3, 5, 7, 501]);
        y.dispose();
      });
      expect(profile.kernelNames).toContain(PixelprepAffine);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('a backend with no kernels of its own gets the composite ones on first use, exact from packed-free int32', async () => {
    const name = 'pixelprep-test-backend';
    tf.registerBackend(name, () => new MathBackendCPU(), 0);
    // A backend with tfjs' ops (the cpu backend's kernels under a new name) but none of pixelprep's.
    const copied = tf.getKernelsForBackend('cpu').filter((k) => !k.kernelName.startsWith('Pixelprep'));
    for (const k of copied) tf.registerKernel({ ...k, backendName: name });
    try {
      await tf.setBackend(name);
      expect(tf.getKernel(PixelprepAffine, name)).toBeUndefined();
      const plan = new AffinePlan({ images: 1, channels: 3, scale: [1 / 255, 2, 0.5], offset: [0, -1, 3], clip: null, post: null });
      const bytes = Uint8Array.from({ length: 12 }, (_, i) => (i * 53) & 255);
      const before = tf.memory().numTensors;
      const y = plan.apply({ data: bytes, shape: [2, 2, 3] });
      expect(tf.getKernel(PixelprepAffine, name)).toBeDefined();
      const want = Array.from(bytes, (v, i) => Math.fround(v * plan.coefficients.scale[i % 3] + plan.coefficients.offset[i % 3]));
      const got = Array.from(y.dataSync());
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
      y.dispose();
      const stats = computeStats({ data: bytes, shape: [2, 2, 3] });
      const channel0 = [0, 3, 6, 9].map((i) => bytes[i]);
      expect(stats.mean[0]).toBe(channel0.reduce((a, b) => a + b, 0) / 4);
      expect(stats.min[0]).toBe(Math.min(...channel0));
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await setBackend('cpu');
      tf.removeBackend(name);
      for (const k of tf.getKernelsForBackend(name)) tf.unregisterKernel(k.kernelName, name);
    }
  });
});

describe('pixelprep info line', () => {
  it('names the fused backends, the op-chain kernel and the fallback', async () => {
    const { describeKernels } = await import('../../src/kernels/register_all_kernels.js');
    expect(describeKernels()).toBe('fused kernels: cpu, wasm, webgpu, webgl; tfjs ops inside the kernel: tensorflow; any other backend: the tfjs op chain');
  });
});
