/**
 * Eigendecomposition of a symmetric positive semi-definite matrix (a
 * covariance) with ml-matrix (Householder tridiagonalisation + QL, O(D³)),
 * returned in a canonical form so the same data always gives the same file.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface SymmetricEigen {
  /** Eigenvalues, largest first; round-off negatives of a PSD matrix clamped to 0. */
  values: Float64Array;
  /** Unit eigenvectors as rows, row-major D×D: row k belongs to values[k]. */
  vectors: Float64Array;
}

/**
 * Decomposes the symmetric D×D matrix `a` (row-major) as a = Vᵀ diag(values) V.
 * Each eigenvector's sign is fixed so that its entry of largest magnitude is
 * positive (the first such entry on a tie), as sklearn fixes PCA signs.
 */
export function symmetricEigen(a: Float64Array, dimension: number): SymmetricEigen {
  const D = dimension;
  const rows = Array.from({ length: D }, (_, i) => Array.from(a.subarray(i * D, (i + 1) * D)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const columns = evd.eigenvectorMatrix;
  const order = values.map((_, k) => k).sort((p, q) => values[q] - values[p] || p - q);
  const outValues = new Float64Array(D);
  const outVectors = new Float64Array(D * D);
  order.forEach((k, row) => {
    outValues[row] = Math.max(values[k], 0);
    let pivot = 0;
    for (let i = 1; i < D; i++) if (Math.abs(columns.get(i, k)) > Math.abs(columns.get(pivot, k))) pivot = i;
    const sign = columns.get(pivot, k) < 0 ? -1 : 1;
    for (let i = 0; i < D; i++) outVectors[row * D + i] = sign * columns.get(i, k);
  });
  return { values: outValues, vectors: outVectors };
}
