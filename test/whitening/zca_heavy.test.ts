/**
 * ZCA at a realistic dimension (16×16×3 = 768), where the tiled kernels and
 * the O(D³) decomposition do real work. Runs with PIXELPREP_HEAVY=1 (about 20 s).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { fitWhitening } from '../../src/index.js';
import { normals } from './reference.js';

const heavy = process.env.PIXELPREP_HEAVY === '1';

describe('ZCA at D = 768', () => {
  it.skipIf(!heavy)('whitens 2,000 images of 16×16×3 to identity covariance within 1e-6 (set PIXELPREP_HEAVY=1)', async () => {
    await tf.setBackend('cpu');
    const D = 768;
    const N = 2000;
    // x = 128 + Qᵀ diag(σ) z with Q a product of random Householder reflections: known spectrum σ² in [4, 400].
    const z = normals(5);
    const reflections = Array.from({ length: 3 }, () => {
      const v = Float64Array.from({ length: D }, () => z());
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    });
    const sigma = Float64Array.from({ length: D }, (_, k) => 2 + (18 * k) / (D - 1));
    const data = new Float64Array(N * D);
    const row = new Float64Array(D);
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < D; k++) row[k] = sigma[k] * z();
      for (const v of reflections) {
        let d = 0;
        for (let k = 0; k < D; k++) d += v[k] * row[k];
        for (let k = 0; k < D; k++) row[k] -= 2 * d * v[k];
      }
      for (let k = 0; k < D; k++) data[n * D + k] = 128 + row[k];
    }
    const batches = Array.from({ length: N / 50 }, (_, b) => ({ data: data.subarray(b * 50 * D, (b + 1) * 50 * D), shape: [50, 16, 16, 3] }));
    const zca = await fitWhitening(batches, { kind: 'zca' });
    expect(zca.eigenvalues[D - 1]).toBeGreaterThan(1);

    // Whitened covariance, two-pass float64 in the test.
    const outputs = new Float64Array(N * D);
    batches.forEach((x, b) => {
      const y = zca.apply(x);
      outputs.set(y.dataSync(), b * 50 * D);
      y.dispose();
    });
    const mean = new Float64Array(D);
    for (let n = 0; n < N; n++) for (let j = 0; j < D; j++) mean[j] += outputs[n * D + j] / N;
    let worst = 0;
    for (let i = 0; i < D; i++) {
      for (let j = i; j < D; j++) {
        let s = 0;
        for (let n = 0; n < N; n++) s += (outputs[n * D + i] - mean[i]) * (outputs[n * D + j] - mean[j]);
        worst = Math.max(worst, Math.abs(s / N - (i === j ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(Math.max(...mean.map(Math.abs))).toBeLessThanOrEqual(1e-6);
  }, 300_000);
});
