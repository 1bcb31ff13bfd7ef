/**
 * Streaming float64 mean and covariance of D-dimensional vectors.
 *
 * Rows arrive in blocks. Each block is reduced two-pass (its own mean, then
 * the co-moment of its centred rows, Σ (x - m)(x - m)ᵀ) and merged into the
 * running totals with the multivariate form of Chan et al.'s formula:
 *
 *     n = nA + nB,  δ = mB - mA,  m = mA + δ·nB/n,  C = CA + CB + δδᵀ·nA·nB/n
 *
 * so large offsets (pixel values around 1e6) do not cancel, and accumulators
 * over disjoint data merge to the single-pass result.
 */
import { PixelprepError } from '../core/errors.js';
import { fail, isInteger } from '../core/validate.js';
import { addRowDots } from './row_dots.js';

/** Rows per block: up to 2M values (16 MB) staged, so the D×D update runs on long blocks even when batches are small. */
const BLOCK_VALUES = 1 << 21;
const MAX_BLOCK_ROWS = 4096;
const MIN_BLOCK_ROWS = 16;

/** Values the accumulator reads rows from. */
export type NumericArray = ArrayLike<number>;

/**
 * Streaming float64 mean and covariance. Rows are staged into blocks of
 * B = clamp(2²¹ / D, 16, 4096) rows, each reduced two-pass and merged.
 * Memory: 8·D² bytes for the co-moment plus 8·D·B (at most 16 MB) for the block.
 *
 * @example
 * const acc = new CovarianceAccumulator(3);
 * acc.addRows(rgb, 0, pixels, 3, 1); // interleaved RGB pixels
 * const cov = acc.covariance();      // 3×3, row-major
 */
export class CovarianceAccumulator {
  /** Length of each vector. */
  readonly dimension: number;
  private count = 0;
  private readonly runningMean: Float64Array;
  /** Upper triangle (i ≤ j) of Σ (x - mean)(x - mean)ᵀ, row-major D×D. */
  private readonly comoment: Float64Array;
  private readonly blockRows: number;
  /** Staged rows, transposed (D × blockRows), so each dot product reads contiguous memory. */
  private readonly staged: Float64Array;
  private pending = 0;
  private readonly blockMean: Float64Array;

  /** @throws PixelprepError E_ARGUMENT unless `dimension` is a positive integer. */
  constructor(dimension: number) {
    if (!isInteger(dimension) || dimension < 1) fail('E_ARGUMENT', 'dimension', 'a positive integer', dimension);
    this.dimension = dimension;
    this.runningMean = new Float64Array(dimension);
    this.comoment = new Float64Array(dimension * dimension);
    this.blockRows = Math.max(MIN_BLOCK_ROWS, Math.min(MAX_BLOCK_ROWS, Math.floor(BLOCK_VALUES / dimension)));
    this.staged = new Float64Array(dimension * this.blockRows);
    this.blockMean = new Float64Array(dimension);
  }

  /** Vectors counted so far. */
  get samples(): number {
    return this.count + this.pending;
  }

  /**
   * Counts `rows` vectors read from `data`: element j of row r is
   * `data[start + r * rowStride + j * colStride]`. Interleaved pixels use
   * (rowStride C, colStride 1); planar ones (rowStride 1, colStride P).
   */
  addRows(data: NumericArray, start: number, rows: number, rowStride: number, colStride: number): this {
    const D = this.dimension;
    const B = this.blockRows;
    const staged = this.staged;
    for (let first = 0; first < rows; ) {
      const take = Math.min(B - this.pending, rows - first);
      const column = this.pending;
      for (let j = 0; j < D; j++) {
        const to = j * B + column;
        for (let r = 0, at = start + first * rowStride + j * colStride; r < take; r++, at += rowStride) staged[to + r] = data[at];
      }
      this.pending += take;
      first += take;
      if (this.pending === B) this.flush();
    }
    return this;
  }

  /**
   * Adds another accumulator's vectors: the result equals one accumulator that saw both.
   * @throws PixelprepError E_SHAPE when the dimensions differ.
   */
  merge(other: CovarianceAccumulator): this {
    if (!(other instanceof CovarianceAccumulator)) fail('E_ARGUMENT', 'other', 'a CovarianceAccumulator', other);
    if (other.dimension !== this.dimension) {
      throw new PixelprepError('E_SHAPE', `Expected an accumulator of dimension ${this.dimension} to merge but received one of dimension ${other.dimension}`);
    }
    this.flush();
    other.flush();
    if (other.count === 0) return this;
    const D = this.dimension;
    for (let i = 0; i < D; i++) {
      for (let j = i; j < D; j++) this.comoment[i * D + j] += other.comoment[i * D + j];
    }
    this.mergeMean(other.runningMean, other.count);
    return this;
  }

  /** The mean vector (a copy). */
  mean(): Float64Array {
    this.flush();
    return this.runningMean.slice();
  }

  /**
   * The population covariance (divided by the count, as numpy's `cov(bias=True)`
   * and Keras' ZCA), full symmetric D×D row-major.
   * @throws PixelprepError E_STATS when nothing has been counted.
   */
  covariance(): Float64Array {
    this.flush();
    if (this.count === 0) throw new PixelprepError('E_STATS', 'Expected at least one vector to compute a covariance from but received none');
    const D = this.dimension;
    const cov = new Float64Array(D * D);
    for (let i = 0; i < D; i++) {
      for (let j = i; j < D; j++) {
        const v = this.comoment[i * D + j] / this.count;
        cov[i * D + j] = v;
        cov[j * D + i] = v;
      }
    }
    return cov;
  }

  /** Reduces the staged rows: block mean, centring, Gram update, Chan merge. */
  private flush(): void {
    const k = this.pending;
    if (k === 0) return;
    const D = this.dimension;
    const B = this.blockRows;
    const { staged, blockMean } = this;
    for (let j = 0; j < D; j++) {
      const row = j * B;
      let sum = 0;
      for (let r = 0; r < k; r++) sum += staged[row + r];
      const m = sum / k;
      blockMean[j] = m;
      for (let r = 0; r < k; r++) staged[row + r] -= m;
    }
    const rows = { data: staged, rows: D, stride: B };
    addRowDots(rows, rows, k, this.comoment, D, true);
    this.pending = 0;
    this.mergeMean(blockMean, k);
  }

  /** Chan's update of the mean and the cross term δδᵀ·nA·nB/n, for a block already added to the co-moment. */
  private mergeMean(otherMean: Float64Array, otherCount: number): void {
    const D = this.dimension;
    if (this.count === 0) {
      this.runningMean.set(otherMean);
      this.count = otherCount;
      return;
    }
    const total = this.count + otherCount;
    const weight = (this.count * otherCount) / total;
    const delta = new Float64Array(D);
    for (let j = 0; j < D; j++) delta[j] = otherMean[j] - this.runningMean[j];
    for (let i = 0; i < D; i++) {
      const wi = weight * delta[i];
      for (let j = i; j < D; j++) this.comoment[i * D + j] += wi * delta[j];
    }
    for (let j = 0; j < D; j++) this.runningMean[j] += (delta[j] * otherCount) / total;
    this.count = total;
  }
}
