/**
 * The names and attributes of pixelprep's kernels in tfjs's registry, as
 * tfjs-core's own kernel_names.ts declares its kernels. The ops in core/ call
 * `engine().runKernel(name, inputs, attrs)`; each backend registers a
 * `KernelConfig` under these names (kernels/<backend>/), so the plan is data
 * and the registry decides where it runs.
 */
import type { Layout, SpatialDims } from './layout.js';

/** How the kernel's input tensor holds the pixels. */
export const PIXEL_PACKINGS = ['none', 'uint8x4', 'uint16x2', 'float64'] as const;
/**
 * 'none': the tensor is the pixel data (int32 or float32) in its own shape.
 * 'uint8x4' / 'uint16x2': an int32 tensor of little-endian words, each holding
 * four uint8 (two uint16) pixels (the last word zero-padded); `shape` gives the
 * pixels' shape. tfjs has no uint8 dtype, so this is how raw bytes travel at one
 * byte per pixel.
 * 'float64': an int32 tensor of two words per value, the float64 bits
 * (little-endian), for the host kernels, which compute in float64.
 */
export type PixelPacking = (typeof PIXEL_PACKINGS)[number];

/** How every kernel reads its input x: the pixels' layout, packing and shape. */
export interface PixelAttrs {
  [name: string]: number | number[] | string | boolean;
  layout: Layout;
  spatialDims: SpatialDims;
  packing: PixelPacking;
  /** The pixels' shape (the output's shape for PixelprepAffine). */
  shape: number[];
  /**
   * False when the shape has no channel axis; a rank of spatialDims + 1 is then
   * a batch of single-channel images (what a layer receives), not one image.
   */
  channelAxis: boolean;
}

/** `y = clip(x * scale[c] + offset[c], clip) * postScale + postOffset`, channels permuted by `channelOrder`. */
export const PixelprepAffine = 'PixelprepAffine';
export type PixelprepAffineInputs = { x: unknown };
export interface PixelprepAffineAttrs extends PixelAttrs {
  /** 1 or the batch size. */
  images: number;
  /** 1 or the channel count. */
  channels: number;
  /** `images * channels` multipliers, image-major. */
  scale: number[];
  /** `images * channels` addends, image-major. */
  offset: number[];
  /** `[lo, hi]`, or `[]` for no clip. */
  clip: number[];
  /** 1 and 0 when there is no post step. */
  postScale: number;
  postOffset: number;
  /** Output channel c reads input channel channelOrder[c]; `[]` keeps the order. */
  channelOrder: number[];
}

/** Exact per-(image, channel) count, sum, sum of squares, min and max, merged on the host in float64. */
export const PixelprepMoments = 'PixelprepMoments';
export type PixelprepMomentsInputs = { x: unknown };
export interface PixelprepMomentsAttrs extends PixelAttrs {
  /** One group per (image, channel) when true, per channel when false. */
  perImage: boolean;
}
/**
 * PixelprepMoments returns an int32 tensor of shape [records, MOMENT_RECORD_WORDS]
 * in the self-describing format of moment_partials.ts; `decodeMomentPartials`
 * merges it on the host in float64.
 */

/**
 * A C×C colour transform of every pixel: `y = matrix (x - before) + after`,
 * computed in float64 where the kernel runs on the host (PCA whitening).
 */
export const PixelprepColorTransform = 'PixelprepColorTransform';
export type PixelprepColorTransformInputs = { x: unknown };
export interface PixelprepColorTransformAttrs extends PixelAttrs {
  /** C×C, row-major: output channel c is row c. */
  matrix: number[];
  /** C values subtracted before the matrix. */
  before: number[];
  /** C values added after it. */
  after: number[];
}
