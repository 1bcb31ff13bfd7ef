/**
 * An affine plan: the one form every scaling method takes.
 *
 *     y = clip(x * scale + offset, lo, hi) * post.scale + post.offset
 *
 * An optional `channelOrder` permutes channels in the same pass.
 * `scale`/`offset` hold one entry per (image, channel): `images` is 1 when every
 * image shares them and N for per-image statistics; `channels` is 1 when every
 * channel shares them. Coefficients are float64; kernels round once, on output.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from './errors.js';
import type { PixelInput } from './input.js';

export type { AffineCoefficients } from './coefficients.js';
import { runAffine } from './affine_op.js';
import type { AffineCoefficients } from './coefficients.js';
import { KERNEL_CHOICES, type KernelChoice } from './kernel_registry.js';
import { LAYOUTS, SPATIAL_DIMS, type Layout, type SpatialDims } from './layout.js';
import { describe, isInteger, isNumber, isPlainObject, oneOf } from './validate.js';

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

export interface PlanApplyOptions {
  /**
   * 'auto' (default): the PixelprepAffine kernel registered for the current backend;
   * 'fused': the same, or E_BACKEND on a backend without a fused kernel;
   * 'composite': the tfjs op chain (what the 'tensorflow' kernel runs).
   */
  kernel?: KernelChoice;
}

export interface AffinePlanJSON {
  format: 'pixelprep-plan';
  version: 1;
  layout: Layout;
  spatialDims: SpatialDims;
  images: number;
  channels: number;
  scale: number[];
  offset: number[];
  clip: [number, number] | null;
  post: { scale: number; offset: number } | null;
  channelOrder: number[] | null;
}

/** A compiled, invertible, serializable affine transform of pixel data. */
export class AffinePlan {
  readonly coefficients: AffineCoefficients;
  readonly layout: Layout;
  readonly spatialDims: SpatialDims;

  constructor(coefficients: AffineCoefficients, options: { layout?: Layout; spatialDims?: SpatialDims } = {}) {
    this.coefficients = checkCoefficients(coefficients);
    this.layout = oneOf('layout', options.layout, LAYOUTS, 'channels_last');
    this.spatialDims = oneOf('spatialDims', options.spatialDims, SPATIAL_DIMS, 2);
  }

  /**
   * Applies the plan in one pass and returns a new float32 tensor of the input's shape:
   * `engine().runKernel('PixelprepAffine', { x }, attrs)`, so it runs on the kernel the
   * current backend registered, is differentiable (`tf.grad`) and shows in `tf.profile`.
   * Raw uint8 (uint16) batches travel packed four (two) to an int32 word.
   *
   * @throws PixelprepError E_SHAPE when the input's channels or batch size do not match the plan,
   *   E_VALUE for NaN/±Infinity in float input, E_BACKEND for kernel 'fused' where there is none.
   * @example
   * const y = plan.apply({ data: rgb, shape: [224, 224, 3] });
   * const dx = tf.grad((x) => tf.sum(plan.apply(x)))(tf.ones([1, 2, 2, 3]));
   */
  apply(x: PixelInput, options: PlanApplyOptions = {}): tf.Tensor {
    return runAffine(x, this, oneOf('kernel', options.kernel, KERNEL_CHOICES, 'auto'));
  }

  /**
   * Maps scaled values back to pixel values. Exact for every value the clip
   * (if any) did not touch; clipped values come back as the clip bound's preimage.
   */
  invert(y: PixelInput, options: PlanApplyOptions = {}): tf.Tensor {
    return this.inverse().apply(y, options);
  }

  /**
   * The plan that undoes this one: x = (y - post.offset) / (post.scale * scale) - offset / scale,
   * with the inverse channel permutation.
   */
  inverse(): AffinePlan {
    const { scale, offset, post, images, channels } = this.coefficients;
    const order = this.coefficients.channelOrder ?? null;
    const ps = post?.scale ?? 1;
    const po = post?.offset ?? 0;
    // Output channel j of the inverse reads channel inverseOrder[j] of y and undoes that channel's coefficients.
    const inverseOrder = order ? order.map((_, j) => order.indexOf(j)) : null;
    const source = (i: number) => {
      if (!inverseOrder || channels === 1) return i;
      const n = Math.floor(i / channels);
      return n * channels + inverseOrder[i % channels];
    };
    const index = Array.from({ length: images * channels }, (_, i) => source(i));
    return new AffinePlan(
      {
        images,
        channels,
        scale: index.map((i) => 1 / (ps * scale[i])),
        offset: index.map((i) => -po / (ps * scale[i]) - offset[i] / scale[i]),
        clip: null,
        post: null,
        channelOrder: inverseOrder,
      },
      this,
    );
  }

  toJSON(): AffinePlanJSON {
    const c = this.coefficients;
    return {
      format: 'pixelprep-plan',
      version: 1,
      layout: this.layout,
      spatialDims: this.spatialDims,
      images: c.images,
      channels: c.channels,
      scale: [...c.scale],
      offset: [...c.offset],
      clip: c.clip ? [c.clip[0], c.clip[1]] : null,
      post: c.post ? { ...c.post } : null,
      channelOrder: c.channelOrder ? [...c.channelOrder] : null,
    };
  }

  /** @throws PixelprepError E_FORMAT when `json` is not a version-1 plan. */
  static fromJSON(json: unknown): AffinePlan {
    if (!isPlainObject(json) || json.format !== 'pixelprep-plan') {
      throw new PixelprepError('E_FORMAT', `Expected a pixelprep-plan JSON object but received ${describe(isPlainObject(json) ? json.format : json)}`);
    }
    if (json.version !== 1) throw new PixelprepError('E_FORMAT', `Expected pixelprep-plan version 1 but received ${describe(json.version)}`);
    // The constructor validates every field, as if a user had passed it.
    const { layout, spatialDims, images, channels, scale, offset, clip, post, channelOrder } = json;
    return new AffinePlan({ images, channels, scale, offset, clip, post, channelOrder } as AffineCoefficients, { layout, spatialDims } as { layout?: Layout; spatialDims?: SpatialDims });
  }
}

function checkCoefficients(c: AffineCoefficients): AffineCoefficients {
  const bad = (what: string, value: unknown): never => {
    throw new PixelprepError('E_ARGUMENT', `Expected ${what} in the plan but received ${describe(value)}`);
  };
  if (!isInteger(c.images) || c.images < 1) bad('a positive integer images', c.images);
  if (!isInteger(c.channels) || c.channels < 1) bad('a positive integer channels', c.channels);
  const n = c.images * c.channels;
  const nonFinite = [c.scale, c.offset].flatMap((list) => (Array.isArray(list) ? list : [])).find((v) => v === Infinity || v === -Infinity);
  // ±Infinity is what overflowing statistics or epsilon produce (a value problem); NaN or a non-number is a bad argument below.
  if (nonFinite !== undefined) throw new PixelprepError('E_VALUE', `Expected finite plan coefficients but received ${nonFinite} (statistics or epsilon too extreme)`);
  if (!Array.isArray(c.scale) || c.scale.length !== n || !c.scale.every((s) => isNumber(s) && s !== 0)) {
    bad(`scale to be ${n} finite non-zero numbers`, c.scale);
  }
  if (!Array.isArray(c.offset) || c.offset.length !== n || !c.offset.every(isNumber)) bad(`offset to be ${n} finite numbers`, c.offset);
  // Coefficients beyond float32's range overflow to Infinity in every kernel: reject them here, not as NaN later.
  const tooLarge = [...c.scale, ...c.offset].find((v) => Math.abs(v) > FLOAT32_MAX);
  if (tooLarge !== undefined) {
    throw new PixelprepError('E_VALUE', `Expected plan coefficients within float32 range (±${FLOAT32_MAX.toExponential(3)}) but received ${tooLarge} (statistics or epsilon too extreme for float32 output)`);
  }
  if (c.clip !== null && !(Array.isArray(c.clip) && c.clip.length === 2 && c.clip.every(isNumber) && c.clip[0] < c.clip[1])) {
    bad('clip to be null or [low, high] with low < high', c.clip);
  }
  if (c.post !== null && !(isPlainObject(c.post) && isNumber(c.post.scale) && c.post.scale !== 0 && isNumber(c.post.offset))) {
    bad('post to be null or { scale, offset } with a finite non-zero scale', c.post);
  }
  const order = c.channelOrder ?? null;
  if (order !== null) {
    const isPermutation = Array.isArray(order) && order.length > 0 && [...order].sort((a, b) => a - b).every((v, i) => v === i);
    if (!isPermutation) bad('channelOrder to be null or a permutation of 0..C-1', order);
    if (c.channels !== 1 && c.channels !== order.length) bad(`channelOrder of length ${c.channels} (one entry per channel)`, order);
  }
  return {
    images: c.images,
    channels: c.channels,
    scale: [...c.scale],
    offset: [...c.offset],
    clip: c.clip ? [c.clip[0], c.clip[1]] : null,
    post: c.post ? { scale: c.post.scale, offset: c.post.offset } : null,
    channelOrder: order && !order.every((v, i) => v === i) ? [...order] : null,
  };
}
