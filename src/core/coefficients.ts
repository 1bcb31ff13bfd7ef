/**
 * The data of an affine plan (plan.ts), apart from the class, so that the
 * kernels' attributes and the op can name it without importing the plan.
 */
import type { Layout, SpatialDims } from './layout.js';

export interface AffineCoefficients {
  /** 1 (shared by every image) or the batch size (one set per image). */
  readonly images: number;
  /** 1 (shared by every channel) or the channel count. */
  readonly channels: number;
  /** `images * channels` multipliers, image-major. */
  readonly scale: readonly number[];
  /** `images * channels` addends, image-major. */
  readonly offset: readonly number[];
  /** Optional clip applied after the affine step. */
  readonly clip: readonly [number, number] | null;
  /** Optional second affine step after the clip (same for every channel). */
  readonly post: { readonly scale: number; readonly offset: number } | null;
  /**
   * Optional channel permutation applied on the way: output channel c reads
   * input channel channelOrder[c] (e.g. [2, 1, 0] turns RGB into BGR).
   * Coefficients are indexed by output channel.
   */
  readonly channelOrder?: readonly number[] | null;
}

/** What the op needs of a plan: its coefficients and how it reads shapes. */
export interface PlanLike {
  readonly coefficients: AffineCoefficients;
  readonly layout: Layout;
  readonly spatialDims: SpatialDims;
}
