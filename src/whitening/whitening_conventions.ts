/**
 * Whitening conventions: which second-moment matrix a ZCA is fitted on and
 * how each eigenvalue becomes a gain. With the eigenvalues s_k (largest first)
 * of the matrix fitted, n the images and ε the epsilon:
 *
 * | convention          | centred by                 | matrix            | gain g_k                                   |
 * |---------------------|----------------------------|-------------------|--------------------------------------------|
 * | pixelprep (default) | the mean image             | covariance        | 1 / sqrt(s_k + ε)                          |
 * | keras-preprocessing | the per-channel mean       | XᵀX / n           | 1 / sqrt(s_k + ε)                          |
 * | keras               | the per-channel mean       | XᵀX / n           | √n / (σ_k + ε), σ_k = sqrt(n·s_k), k < min(n, D); 0 beyond |
 *
 * keras-preprocessing 1.1.2 (`ImageDataGenerator.fit`): `sigma = dot(flat_x.T, flat_x) / n;
 * u, s, _ = linalg.svd(sigma); s_inv = 1 / sqrt(s + zca_epsilon)`. Keras ≥ 2.9
 * (`keras/preprocessing/image.py`): `u, s, _ = np.linalg.svd(flat_x.T, full_matrices=False);
 * s_inv = np.sqrt(n) / (s + zca_epsilon)`: singular values of the data, so ε is added
 * to σ_k = sqrt(n·s_k), and the thin SVD keeps min(n, D) directions (the others get
 * gain 0, which makes the matrix singular when n < D; its inverse is then the pseudo-inverse).
 * Both force `featurewise_center` (a per-channel mean, `np.mean(x, axis=(0, row, col))`).
 */
export const WHITENING_CONVENTIONS = ['pixelprep', 'keras', 'keras-preprocessing'] as const;
export type WhiteningConvention = (typeof WHITENING_CONVENTIONS)[number];

/** Whether the convention centres by the per-channel mean (Keras' featurewise_center) instead of the mean image. */
export const centresPerChannel = (convention: WhiteningConvention): boolean => convention !== 'pixelprep';

/** The gain of each component (0 for directions the convention drops). */
export function conventionGains(convention: WhiteningConvention, eigenvalues: Float64Array, epsilon: number, samples: number): Float64Array {
  if (convention !== 'keras') return eigenvalues.map((s) => 1 / Math.sqrt(s + epsilon));
  const rank = Math.min(samples, eigenvalues.length);
  const root = Math.sqrt(samples);
  return eigenvalues.map((s, k) => (k < rank ? root / (Math.sqrt(samples * s) + epsilon) : 0));
}

/** The inverse gains (spreads); 0 where the gain is 0, so the inverse is the pseudo-inverse. */
export function conventionSpreads(convention: WhiteningConvention, eigenvalues: Float64Array, epsilon: number, samples: number): Float64Array {
  return conventionGains(convention, eigenvalues, epsilon, samples).map((g) => (g === 0 ? 0 : 1 / g));
}
