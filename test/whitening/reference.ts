/**
 * Independent float64 references for the whitening specs: correlated test
 * data, two-pass mean and covariance, small dense matrix products. Nothing here imports src/.
 */
import { seeded } from '../dataset/reference.js';

/** Standard normal samples (Box–Muller) from a seeded generator. */
export function normals(seed: number): () => number {
  const next = seeded(seed);
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/**
 * `count` vectors of length D, row-major: x = offset + mixing · z with z standard
 * normal, so the covariance is mixing · mixingᵀ (full rank when mixing is).
 */
export function correlatedRows(count: number, D: number, seed: number, scale: number, offset: number): Float64Array {
  const z = normals(seed);
  const mixSeed = seeded(seed + 1);
  const mixing = Float64Array.from({ length: D * D }, (_, i) => (i % (D + 1) === 0 ? 1 : 0) + (mixSeed() - 0.5) * 0.9);
  const out = new Float64Array(count * D);
  const zs = new Float64Array(D);
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < D; k++) zs[k] = z();
    for (let i = 0; i < D; i++) {
      let s = 0;
      for (let k = 0; k < D; k++) s += mixing[i * D + k] * zs[k];
      out[r * D + i] = offset + scale * s;
    }
  }
  return out;
}

/** Corrected two-pass mean and population covariance (divided by n) of row-major vectors. */
export function covarianceOf(rows: ArrayLike<number>, D: number): { mean: Float64Array; cov: Float64Array } {
  const n = rows.length / D;
  const mean = new Float64Array(D);
  for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) mean[j] += rows[r * D + j];
  for (let j = 0; j < D; j++) mean[j] /= n;
  // Corrected two-pass (Björck): add the mean of the deviations from the first estimate.
  const correction = new Float64Array(D);
  for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) correction[j] += rows[r * D + j] - mean[j];
  for (let j = 0; j < D; j++) mean[j] += correction[j] / n;
  const cov = new Float64Array(D * D);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < D; i++) {
      const di = rows[r * D + i] - mean[i];
      for (let j = 0; j < D; j++) cov[i * D + j] += di * (rows[r * D + j] - mean[j]);
    }
  }
  for (let k = 0; k < D * D; k++) cov[k] /= n;
  return { mean, cov };
}

/** a · b for row-major D×D matrices. */
export function multiply(a: ArrayLike<number>, b: ArrayLike<number>, D: number): Float64Array {
  const out = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let k = 0; k < D; k++) for (let j = 0; j < D; j++) out[i * D + j] += a[i * D + k] * b[k * D + j];
  return out;
}

export function transpose(a: ArrayLike<number>, D: number): Float64Array {
  const out = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) out[j * D + i] = a[i * D + j];
  return out;
}

/** Largest |a[i] - b[i]|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export const identity = (D: number): Float64Array => Float64Array.from({ length: D * D }, (_, i) => (i % (D + 1) === 0 ? 1 : 0));
