/**
 * ZCA conventions against Keras' own formulas, computed here independently in
 * float64 with ml-matrix's SVD (the fit uses a symmetric eigendecomposition):
 *
 * - Keras ≥ 2.9 ImageDataGenerator.fit: x -= per-channel mean; u, s = svd(flat_x.T, thin);
 *   W = u · diag(√n / (s + ε)) · uᵀ
 * - keras-preprocessing 1.1.2: x -= per-channel mean; sigma = flat_xᵀ flat_x / n;
 *   u, s = svd(sigma); W = u · diag(1 / sqrt(s + ε)) · uᵀ
 */
import * as tf from '@tensorflow/tfjs-core';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Whitening, fitWhitening, isPixelprepError } from '../../src/index.js';
import { correlatedRows } from './reference.js';

const H = 2;
const W = 2;
const C = 3;
const D = H * W * C;
const EPSILON = 1e-6;

/** n images [H, W, C] as float32 (what the fit reads), channel means far apart so the centring matters. */
function images(n: number, seed: number): Float32Array {
  const rows = correlatedRows(n, D, seed, 20, 0);
  return Float32Array.from(rows, (v, i) => v + [100, 140, 60][i % C] + (i % D) * 3);
}

/** The per-channel-centred rows (n × D) Keras builds, float64. */
function kerasCentred(data: Float32Array, n: number): Matrix {
  const x = Float64Array.from(data);
  const sums = [0, 0, 0];
  for (let i = 0; i < x.length; i++) sums[i % C] += x[i];
  const means = sums.map((s) => s / (n * H * W));
  return new Matrix(Array.from({ length: n }, (_, r) => Array.from({ length: D }, (_, j) => x[r * D + j] - means[j % C])));
}

function kerasMatrix(X: Matrix, n: number): Matrix {
  const svd = new SingularValueDecomposition(X.transpose(), { computeLeftSingularVectors: true, computeRightSingularVectors: false, autoTranspose: true });
  const u = svd.leftSingularVectors;
  const k = Math.min(n, D);
  const s = svd.diagonal.slice(0, k);
  const uk = u.subMatrix(0, D - 1, 0, k - 1);
  return uk.mmul(Matrix.diag(s.map((v) => Math.sqrt(n) / (v + EPSILON)))).mmul(uk.transpose());
}

function kerasPreprocessingMatrix(X: Matrix, n: number): Matrix {
  const sigma = X.transpose().mmul(X).div(n);
  const svd = new SingularValueDecomposition(sigma);
  const u = svd.leftSingularVectors;
  return u.mmul(Matrix.diag(svd.diagonal.map((v) => 1 / Math.sqrt(v + EPSILON)))).mmul(u.transpose());
}

function relativeError(got: Float64Array, want: Matrix): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < D; j++) {
      diff = Math.max(diff, Math.abs(got[i * D + j] - want.get(i, j)));
      scale = Math.max(scale, Math.abs(want.get(i, j)));
    }
  }
  return diff / scale;
}

async function fitConvention(data: Float32Array, n: number, convention: 'keras' | 'keras-preprocessing' | 'pixelprep'): Promise<Whitening> {
  // Two inputs, so the streaming accumulator merges blocks like a real fit.
  const half = Math.floor(n / 2) * D;
  const parts = [data.subarray(0, half), data.subarray(half)].map((d) => ({ data: d, shape: [d.length / D, H, W, C] }));
  return fitWhitening(parts, { kind: 'zca', convention, epsilon: EPSILON });
}

describe('ZCA conventions reproduce Keras', () => {
  for (const n of [60, 8]) {
    it(`'keras' equals Keras ≥ 2.9's matrix to 1e-6 relative (n = ${n}, D = ${D})`, async () => {
      const data = images(n, 11 + n);
      const w = await fitConvention(data, n, 'keras');
      expect(w.convention).toBe('keras');
      expect(relativeError(w.matrix(), kerasMatrix(kerasCentred(data, n), n))).toBeLessThan(1e-6);
      // The centring is Keras' per-channel mean, broadcast over the image.
      for (let d = 0; d < D; d++) expect(w.mean[d]).toBeCloseTo(w.mean[d % C], 9);
    });

    it(`'keras-preprocessing' equals keras-preprocessing 1.1.2's matrix to 1e-6 relative (n = ${n})`, async () => {
      const data = images(n, 31 + n);
      const w = await fitConvention(data, n, 'keras-preprocessing');
      expect(relativeError(w.matrix(), kerasPreprocessingMatrix(kerasCentred(data, n), n))).toBeLessThan(1e-6);
    });
  }

  it("the default 'pixelprep' convention differs from Keras' (mean image, 1/sqrt(s + ε))", async () => {
    const n = 60;
    const data = images(n, 71);
    const w = await fitConvention(data, n, 'pixelprep');
    expect(w.convention).toBe('pixelprep');
    expect(relativeError(w.matrix(), kerasMatrix(kerasCentred(data, n), n))).toBeGreaterThan(1e-3);
  });

  it("'keras' apply gives (x - m) W, and whitened data has identity second moment (YᵀY/n = I) for n > D", async () => {
    const n = 200;
    const data = images(n, 5);
    const w = await fitConvention(data, n, 'keras');
    const X = kerasCentred(data, n);
    const want = X.mmul(kerasMatrix(X, n));
    const y = w.apply({ data, shape: [n, H, W, C] }, { kernel: 'fused' });
    const got = await y.data();
    y.dispose();
    let err = 0;
    for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) err = Math.max(err, Math.abs(got[r * D + j] - want.get(r, j)));
    expect(err).toBeLessThan(1e-4);
    const Y = new Matrix(Array.from({ length: n }, (_, r) => Array.from(got.subarray(r * D, (r + 1) * D))));
    const second = Y.transpose().mmul(Y).div(n);
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) expect(Math.abs(second.get(i, j) - (i === j ? 1 : 0))).toBeLessThan(1e-3);
  });

  it('keeps the convention through JSON and inverts (pseudo-inverse when n < D)', async () => {
    const n = 8;
    const data = images(n, 9);
    const w = await fitConvention(data, n, 'keras');
    const back = Whitening.fromJSON(JSON.parse(JSON.stringify(w.toJSON())));
    expect(back.convention).toBe('keras');
    expect(Array.from(back.matrix())).toEqual(Array.from(w.matrix()));
    // The fitted images lie in the span Keras keeps: invert(apply(x)) = x.
    const x = { data, shape: [n, H, W, C] };
    const y = w.apply(x, { kernel: 'fused' });
    const z = w.invert(y, { kernel: 'fused' });
    const zs = await z.data();
    tf.dispose([y, z]);
    expect(Math.max(...Array.from(zs, (v, i) => Math.abs(v - data[i]) / 200))).toBeLessThan(1e-4);
  });

  it("refuses a Keras convention for 'pca' and an unknown one", async () => {
    for (const options of [{ kind: 'pca' as const, convention: 'keras' as const }, { kind: 'zca' as const, convention: 'sklearn' as 'keras' }]) {
      const error = await fitWhitening([{ data: images(4, 1), shape: [4, H, W, C] }], options).catch((e: unknown) => e);
      expect(isPixelprepError(error, 'E_ARGUMENT')).toBe(true);
    }
  });
});
