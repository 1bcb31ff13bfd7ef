/**
 * PCA and ZCA whitening: the whitened data has identity covariance, the
 * matrices follow the published conventions, apply/invert agree on every
 * backend lane, and nothing leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RawBatch } from '../../src/core/input.js';
import { fitWhitening, type Whitening } from '../../src/index.js';
import { enterLane, lanes } from '../helpers/lanes.js';
import { correlatedRows, covarianceOf, identity, maxAbsDiff, multiply, transpose } from './reference.js';

const EPSILON = 1e-6;

/** Images with correlated colour channels, uint8, of several sizes (colour PCA takes any size). */
function colourImages(): RawBatch[] {
  const shapes = [
    [16, 16, 3],
    [9, 20, 3],
    [4, 8, 8, 3],
    [31, 7, 3],
  ];
  return shapes.map((shape, k) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const rows = correlatedRows(size / 3, 3, 40 + k, 35, 120);
    return { data: Uint8Array.from(rows, (v) => Math.min(255, Math.max(0, Math.round(v)))), shape };
  });
}

/** ZCA samples of shape [2, 2, 3] (D = 12), in batches of 200, float32. */
function smallImages(): RawBatch[] {
  const rows = correlatedRows(3000, 12, 77, 20, 128);
  return Array.from({ length: 15 }, (_, b) => ({ data: Float32Array.from(rows.subarray(b * 2400, (b + 1) * 2400)), shape: [200, 2, 2, 3] }));
}

/** Pixel colour vectors (channels_last) of every image, as rows. */
function pixelRows(images: readonly { data: ArrayLike<number> }[]): Float64Array {
  const total = images.reduce((n, x) => n + x.data.length, 0);
  const out = new Float64Array(total);
  let at = 0;
  for (const x of images) {
    for (let i = 0; i < x.data.length; i++) out[at + i] = x.data[i];
    at += x.data.length;
  }
  return out;
}

/** y = W (x - mean) for every D-vector of `rows`, float64, written in the test. */
function referenceApply(rows: ArrayLike<number>, W: Float64Array, mean: Float64Array, D: number): Float64Array {
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length / D; r++) {
    for (let i = 0; i < D; i++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += W[i * D + j] * (rows[r * D + j] - mean[j]);
      out[r * D + i] = s;
    }
  }
  return out;
}

/** The same pixels with the channel axis first ([C, H, W] or [N, C, H, W]). */
function toPlanar(x: RawBatch): RawBatch {
  const C = 3;
  const N = x.shape.length === 4 ? x.shape[0] : 1;
  const P = x.data.length / C / N;
  const data = new Uint8Array(x.data.length);
  for (let n = 0; n < N; n++) for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) data[(n * C + c) * P + p] = x.data[(n * P + p) * C + c];
  const shape = x.shape.length === 4 ? [x.shape[0], 3, x.shape[1], x.shape[2]] : [3, x.shape[0], x.shape[1]];
  return { data, shape };
}

const withEpsilon = (cov: Float64Array, D: number) => cov.map((v, i) => (i % (D + 1) === 0 ? v + EPSILON : v));

describe('colour PCA whitening', () => {
  let pca: Whitening;
  const images = colourImages();
  beforeAll(async () => {
    await tf.setBackend('cpu');
    pca = await fitWhitening(images, { kind: 'pca' });
  });

  it('fits the 3×3 colour covariance over every pixel of every image', () => {
    const rows = pixelRows(images);
    const ref = covarianceOf(rows, 3);
    expect(pca.samples).toBe(rows.length / 3);
    expect(pca.images).toBe(7);
    expect(maxAbsDiff(pca.mean, ref.mean)).toBeLessThanOrEqual(1e-12);
    // Vᵀ diag(s) V reconstructs the covariance; eigenvalues come largest first.
    const V = pca.components;
    const reconstructed = multiply(transpose(V, 3), multiply(Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8], (i) => (i % 4 === 0 ? pca.eigenvalues[i / 4] : 0)), V, 3), 3);
    expect(maxAbsDiff(reconstructed, ref.cov) / Math.max(...ref.cov)).toBeLessThanOrEqual(1e-12);
    expect([...pca.eigenvalues]).toEqual([...pca.eigenvalues].sort((a, b) => b - a));
    // W = diag(g) V: W (Σ + εI) Wᵀ = I, and W Wᵀ is diagonal (rows stay orthogonal: a rotation, then a scale).
    const W = pca.matrix();
    expect(maxAbsDiff(multiply(multiply(W, withEpsilon(ref.cov, 3), 3), transpose(W, 3), 3), identity(3))).toBeLessThanOrEqual(1e-9);
    const WWt = multiply(W, transpose(W, 3), 3);
    for (const k of [1, 2, 3, 5, 6, 7]) expect(Math.abs(WWt[k])).toBeLessThanOrEqual(1e-15);
    expect(maxAbsDiff(multiply(pca.inverseMatrix(), W, 3), identity(3))).toBeLessThanOrEqual(1e-12);
  });

  it('gives decorrelated colour components with unit variance (1e-6)', () => {
    const outputs = images.map((x) => {
      const y = pca.apply(x);
      const data = y.dataSync().slice();
      y.dispose();
      return { data };
    });
    const { mean, cov } = covarianceOf(pixelRows(outputs), 3);
    expect(maxAbsDiff(cov, identity(3))).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(mean, new Float64Array(3))).toBeLessThanOrEqual(1e-6);
  });

  it('fits channels_first data to the same decomposition', async () => {
    const planar = images.map(toPlanar);
    const first = await fitWhitening(planar, { kind: 'pca', layout: 'channels_first' });
    expect(maxAbsDiff(first.eigenvalues, pca.eigenvalues) / pca.eigenvalues[0]).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(first.components, pca.components)).toBeLessThanOrEqual(1e-10);
    const y = first.apply(planar[0]);
    const z = pca.apply(images[0]);
    const a = y.dataSync();
    const b = z.dataSync();
    for (let p = 0; p < 256; p++) for (let c = 0; c < 3; c++) expect(Math.abs(a[c * 256 + p] - b[p * 3 + c])).toBeLessThanOrEqual(1e-5);
    tf.dispose([y, z]);
  });
});

describe('ZCA whitening (Keras ImageDataGenerator convention)', () => {
  let zca: Whitening;
  const batches = smallImages();
  const rows = pixelRows(batches);
  beforeAll(async () => {
    await tf.setBackend('cpu');
    zca = await fitWhitening(batches, { kind: 'zca' });
  });

  it('centres by the mean image and whitens with W = U diag(1/sqrt(s + ε)) Uᵀ', () => {
    const D = 12;
    const ref = covarianceOf(rows, D);
    expect(zca.sampleShape).toEqual([2, 2, 3]);
    expect(zca.samples).toBe(3000);
    expect(zca.epsilon).toBe(1e-6);
    expect(maxAbsDiff(zca.mean, ref.mean)).toBeLessThanOrEqual(1e-11);
    // Full rank, well above ε, so the whitened covariance is the identity to ~1e-7.
    expect(zca.eigenvalues[D - 1]).toBeGreaterThan(1);
    // (Σ + εI)^(-1/2) is the one symmetric W with W (Σ + εI) W = I: Keras' matrix.
    const W = zca.matrix();
    const scale = Math.max(...W.map(Math.abs));
    expect(maxAbsDiff(W, transpose(W, D)) / scale).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(multiply(multiply(W, withEpsilon(ref.cov, D), D), W, D), identity(D))).toBeLessThanOrEqual(1e-9);
    expect(maxAbsDiff(multiply(zca.inverseMatrix(), W, D), identity(D))).toBeLessThanOrEqual(1e-9);
  });

  it('whitened data has identity covariance within 1e-6', () => {
    const outputs = batches.map((x) => {
      const y = zca.apply(x);
      const data = y.dataSync().slice();
      y.dispose();
      return { data };
    });
    const { mean, cov } = covarianceOf(pixelRows(outputs), 12);
    expect(maxAbsDiff(cov, identity(12))).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(mean, new Float64Array(12))).toBeLessThanOrEqual(1e-6);
  });

  it('applies to a single image of the fitted shape and to a grayscale image without channel axis', async () => {
    const one = { data: batches[0].data.slice(0, 12), shape: [2, 2, 3] };
    const y = zca.apply(one);
    expect(y.shape).toEqual([2, 2, 3]);
    const expected = referenceApply(one.data, zca.matrix(), zca.mean, 12);
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThanOrEqual(1e-5);
    y.dispose();
    const gray = await fitWhitening([{ data: Float32Array.from(correlatedRows(50, 6, 3, 10, 50)), shape: [50, 2, 3, 1] }], { kind: 'zca' });
    const z = gray.apply({ data: new Float32Array(6).fill(50), shape: [2, 3] });
    expect(z.shape).toEqual([2, 3]);
    z.dispose();
  });
});

describe('apply and invert on every backend lane', async () => {
  const all = await lanes();
  for (const lane of all) {
    if (!lane.available) {
      it.skip(`${lane.name}: ${lane.reason}`, () => undefined);
      continue;
    }
    describe(lane.name, () => {
      let pca: Whitening;
      let pcaFirst: Whitening;
      let zca: Whitening;
      const images = colourImages();
      const batches = smallImages();
      beforeAll(async () => {
        await tf.setBackend('cpu');
        pca = await fitWhitening(images, { kind: 'pca' });
        pcaFirst = await fitWhitening(images.map(toPlanar), { kind: 'pca', layout: 'channels_first' });
        zca = await fitWhitening(batches, { kind: 'zca' });
        await enterLane(lane);
      });

      it('PCA: matches the float64 reference and inverts back to the uint8 pixels exactly', async () => {
        const before = tf.memory().numTensors;
        for (const x of images) {
          const y = pca.apply(x, { kernel: lane.kernel });
          expect(y.dtype).toBe('float32');
          expect(y.shape).toEqual(x.shape);
          expect(maxAbsDiff(await y.data(), referenceApply(x.data, pca.matrix(), pca.mean, 3))).toBeLessThanOrEqual(1e-4);
          const back = pca.invert(y, { kernel: lane.kernel });
          const restored = await back.data();
          expect(maxAbsDiff(restored, x.data)).toBeLessThanOrEqual(1e-3);
          expect(Uint8Array.from(restored, Math.round)).toEqual(x.data);
          tf.dispose([y, back]);
        }
        for (const x of [images[0], images[2]]) {
          const planar = toPlanar(x);
          const y = pcaFirst.apply(planar, { kernel: lane.kernel });
          const expected = toPlanar({ data: Uint8Array.from(x.data), shape: x.shape });
          const reference = referenceApply(x.data, pcaFirst.matrix(), pcaFirst.mean, 3);
          const values = await y.data();
          const P = x.data.length / 3 / (x.shape.length === 4 ? x.shape[0] : 1);
          let worst = 0;
          for (let i = 0; i < reference.length; i++) {
            const n = Math.floor(i / (3 * P));
            const p = Math.floor(i / 3) % P;
            worst = Math.max(worst, Math.abs(values[(n * 3 + (i % 3)) * P + p] - reference[i]));
          }
          expect(worst).toBeLessThanOrEqual(1e-4);
          const back = pcaFirst.invert(y, { kernel: lane.kernel });
          expect(Uint8Array.from(await back.data(), Math.round)).toEqual(expected.data);
          tf.dispose([y, back]);
        }
        const t = tf.tensor(Int32Array.from(images[0].data), [...images[0].shape], 'int32');
        const fromTensor = pca.apply(t, { kernel: lane.kernel });
        expect(maxAbsDiff(await fromTensor.data(), referenceApply(images[0].data, pca.matrix(), pca.mean, 3))).toBeLessThanOrEqual(1e-4);
        tf.dispose([t, fromTensor]);
        expect(tf.memory().numTensors).toBe(before);
      });

      it('ZCA: matches the float64 reference and inverts back', async () => {
        const before = tf.memory().numTensors;
        const x = batches[3];
        const y = zca.apply(x, { kernel: lane.kernel });
        expect(y.shape).toEqual([200, 2, 2, 3]);
        expect(maxAbsDiff(await y.data(), referenceApply(x.data, zca.matrix(), zca.mean, 12))).toBeLessThanOrEqual(1e-4);
        const back = zca.invert(y, { kernel: lane.kernel });
        expect(maxAbsDiff(await back.data(), x.data)).toBeLessThanOrEqual(2e-3);
        tf.dispose([y, back]);
        expect(tf.memory().numTensors).toBe(before);
      });

      it('rejects data of another channel count or image shape, and NaN, without leaking', () => {
        const before = tf.memory().numTensors;
        expect(() => pca.apply({ data: new Uint8Array(4 * 4 * 4), shape: [4, 4, 4] }, { kernel: lane.kernel })).toThrow(/3 channels .* colour PCA/);
        expect(() => zca.apply({ data: new Float32Array(3 * 3 * 3), shape: [3, 3, 3] }, { kernel: lane.kernel })).toThrow(/\[2,2,3\]/);
        expect(() => zca.apply({ data: new Float32Array(12).fill(NaN), shape: [2, 2, 3] }, { kernel: lane.kernel })).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
        const bad = tf.tensor([1, NaN, 3], [1, 1, 3]);
        expect(() => pca.apply(bad, { kernel: lane.kernel })).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
        bad.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });

      it('rejects NaN made on the device, when the result is read at the latest', async () => {
        const before = tf.memory().numTensors;
        const made = tf.tidy(() => tf.concat([tf.ones([1, 1, 2]), tf.mul(tf.ones([1, 1, 1]), tf.scalar(NaN))], 2));
        const whiten = async () => {
          const y = pca.apply(made, { kernel: lane.kernel });
          try {
            return await y.data();
          } finally {
            y.dispose();
          }
        };
        await expect(whiten()).rejects.toMatchObject({ code: 'E_VALUE' });
        made.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });
    });
  }
});
