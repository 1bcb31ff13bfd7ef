/**
 * Preprocessor: a Python model's published preprocessing, as data, applied in
 * JavaScript: RGB conversion, resize, center crop (sizes and offsets computed
 * here, the pixels resampled by an injected Pillow-exact resampler), then
 * rescale + normalize + channel layout as one AffinePlan.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../core/errors.js';
import type { Layout } from '../core/layout.js';
import { NO_STATS, methodPlanCoefficients } from '../core/methods.js';
import { AffinePlan } from '../core/plan.js';
import { describe, fail, isInteger, isPlainObject, oneOf } from '../core/validate.js';
import { KERNEL_CHOICES, type KernelChoice } from '../kernels/index.js';
import type { PilKernel } from '../resample/filters.js';
import { resize } from '../resample/resize.js';
import { centerCrop, shortestEdgeSize, type CropRounding } from './preprocessor_geometry.js';

/** Pillow's resampling filters, as the resampler names them. */
export type ResampleKernel = PilKernel;

/** An interleaved uint8 image [height, width, channels]. */
export interface ResampleImage {
  data: Uint8Array;
  shape: [number, number, number];
}

/** The resampler's signature (src/resample's `resize`): returns the image at width × height. */
export type ResampleFunction = (image: ResampleImage, options: { width: number; height: number; kernel: ResampleKernel }) => ResampleImage;

/** The resize step: the shortest edge to `size` (aspect kept), or exactly height × width. */
export type ResizeStep = { readonly mode: 'shortest-edge'; readonly size: number } | { readonly mode: 'exact'; readonly height: number; readonly width: number };

/** Everything a Preprocessor does, as data. */
export interface PreprocessorSpec {
  /** Where the spec came from, e.g. 'huggingface CLIPImageProcessor'. */
  readonly source: string;
  /** Convert to RGB first (PIL `convert('RGB')`: gray replicated, alpha dropped). */
  readonly convertRgb: boolean;
  /** Resize, or null. */
  readonly resize: ResizeStep | null;
  /** The resampling filter of the resize. */
  readonly kernel: ResampleKernel;
  /** Center crop to height × width, or null; `rounding` picks HF ('floor') or torchvision ('half-even') offsets. */
  readonly crop: { readonly height: number; readonly width: number; readonly rounding: CropRounding } | null;
  /** Multiplier applied first (HF rescale_factor, torchvision's 1/255); 1 for none. */
  readonly rescale: number;
  /** Subtracted after the rescale, per channel; null for no normalization. */
  readonly mean: readonly number[] | null;
  /** Divided by last, per channel; null for no normalization. */
  readonly std: readonly number[] | null;
  /** Output layout: 'channels_first' (pixel_values [N, 3, H, W]) for HF, timm and torchvision. */
  readonly layout: Layout;
  /** Config keys read but without effect on pixels (metadata), for the caller to see. */
  readonly ignoredKeys: readonly string[];
}

export interface PreprocessorOptions {
  /** The resampler for the resize step; default: pixelprep's Pillow-exact `resize`. */
  resample?: ResampleFunction;
  /** 'auto' (default), 'fused' or 'composite' for the affine step. */
  kernel?: KernelChoice;
}

/**
 * A model's preprocessing, ready to apply. Create with `preprocessorFromConfig`
 * or `pretrainedPreprocessor`.
 *
 * `apply(image)` gives the tensor the Python side gives (HF `pixel_values`,
 * torchvision/timm transforms stacked): float32 [N, 3, h, w].
 */
export class Preprocessor {
  readonly spec: PreprocessorSpec;
  /** rescale + normalize as one affine plan on the output layout: y = x·rescale/std - mean/std. */
  readonly plan: AffinePlan;
  private readonly resample: ResampleFunction;
  private readonly kernel: KernelChoice;

  constructor(spec: PreprocessorSpec, options: PreprocessorOptions = {}) {
    const raw: unknown = options;
    if (!isPlainObject(raw)) fail('E_ARGUMENT', 'options', 'an options object', raw);
    const given: unknown = options.resample;
    if (given !== undefined && typeof given !== 'function') fail('E_ARGUMENT', 'resample', 'a function (image, { width, height, kernel }) => image', given);
    this.spec = spec;
    this.resample = options.resample ?? resampleWithPillowKernels;
    this.kernel = oneOf('kernel', options.kernel, KERNEL_CHOICES, 'auto');
    this.plan = affinePlanOf(spec);
  }

  /** The [height, width] an image of [height, width] comes out at. */
  outputSize(height: number, width: number): [number, number] {
    const resized = this.resizedSize(height, width);
    return this.spec.crop ? [this.spec.crop.height, this.spec.crop.width] : resized;
  }

  /**
   * The geometric steps on one interleaved uint8 image [H, W, C]: RGB conversion,
   * resize (skipped when the size already matches, as Pillow does), center crop.
   * Returns uint8 [h, w, 3] (or [h, w, C] without RGB conversion).
   */
  geometry(image: ResampleImage): ResampleImage {
    let current = this.toRgb(image);
    const [H, W] = current.shape;
    const [h, w] = this.resizedSize(H, W);
    if (h !== H || w !== W) {
      current = this.resample(current, { width: w, height: h, kernel: this.spec.kernel });
      if (!(current.data instanceof Uint8Array) || current.shape[0] !== h || current.shape[1] !== w) {
        throw new PixelprepError('E_SHAPE', `Expected the resampler to return uint8 [${h}, ${w}, C] but received ${describe(current.shape)}`);
      }
    }
    const crop = this.spec.crop;
    if (crop && (crop.height !== current.shape[0] || crop.width !== current.shape[1])) {
      const C = current.shape[2];
      current = { data: centerCrop(current.data, current.shape, [crop.height, crop.width], crop.rounding), shape: [crop.height, crop.width, C] };
    }
    return current;
  }

  /**
   * Preprocesses uint8 RGB(A) pixels, one image [H, W, C] or a batch [N, H, W, C]
   * (channels last, as decoded), into float32 [N, C, h, w] (or [N, h, w, C] for a
   * channels_last spec). Every image of a batch must come out at the same size.
   * @throws PixelprepError E_DTYPE for non-uint8 data, E_SHAPE for bad shapes.
   */
  apply(x: { data: Uint8Array; shape: readonly number[] }): tf.Tensor {
    const images = splitImages(x);
    const outputs = images.map((image) => this.geometry(image));
    const [h, w, C] = outputs[0].shape;
    for (const o of outputs) {
      if (o.shape[0] !== h || o.shape[1] !== w || o.shape[2] !== C) {
        throw new PixelprepError('E_SHAPE', `Expected every image of the batch to come out at [${h}, ${w}, ${C}] but one came out at [${o.shape.join(', ')}]; add a center crop or pass images one at a time`);
      }
    }
    const N = outputs.length;
    const P = h * w;
    const packed = new Uint8Array(N * P * C);
    outputs.forEach((o, n) => {
      if (this.spec.layout === 'channels_last') {
        packed.set(o.data, n * P * C);
        return;
      }
      const base = n * P * C;
      for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) packed[base + c * P + p] = o.data[p * C + c];
    });
    const shape = this.spec.layout === 'channels_first' ? [N, C, h, w] : [N, h, w, C];
    return this.plan.apply({ data: packed, shape }, { kernel: this.kernel });
  }

  /** Undoes the affine step: model inputs back to pixel values (float32, 0..255) of the cropped images. */
  invert(y: tf.Tensor | { data: Float32Array; shape: readonly number[] }): tf.Tensor {
    return this.plan.invert(y as tf.Tensor, { kernel: this.kernel });
  }

  private resizedSize(height: number, width: number): [number, number] {
    const r = this.spec.resize;
    if (!r) return [height, width];
    return r.mode === 'exact' ? [r.height, r.width] : shortestEdgeSize(height, width, r.size);
  }

  private toRgb(image: ResampleImage): ResampleImage {
    const [H, W, C] = image.shape;
    if (!this.spec.convertRgb || C === 3) return image;
    if (C !== 1 && C !== 4) throw new PixelprepError('E_SHAPE', `Expected 1 (gray), 3 (RGB) or 4 (RGBA) channels to convert to RGB but received ${C}`);
    const out = new Uint8Array(H * W * 3);
    for (let p = 0; p < H * W; p++) {
      for (let c = 0; c < 3; c++) out[p * 3 + c] = image.data[p * C + (C === 1 ? 0 : c)];
    }
    return { data: out, shape: [H, W, 3] };
  }
}

/** The affine step of a spec through the method table: method 'rescale' with scale = rescale/std, offset = -mean/std. */
function affinePlanOf(spec: PreprocessorSpec): AffinePlan {
  const mean = spec.mean ?? [0];
  const std = spec.std ?? [1];
  if (mean.length !== std.length && mean.length !== 1 && std.length !== 1) {
    throw new PixelprepError('E_FORMAT', `Expected image_mean and image_std of equal length (or one of length 1) but received ${mean.length} and ${std.length}`);
  }
  const channels = Math.max(mean.length, std.length);
  const at = (list: readonly number[], c: number) => list[list.length === 1 ? 0 : c];
  const scale = Array.from({ length: channels }, (_, c) => spec.rescale / at(std, c));
  // 0 - m keeps +0 for a zero mean.
  const offset = Array.from({ length: channels }, (_, c) => 0 - at(mean, c) / at(std, c));
  const coefficients = methodPlanCoefficients(
    'rescale',
    Array.from({ length: channels }, () => NO_STATS),
    { range: [0, 255], target: [0, 1], epsilon: 1, zeroVariance: 'clamp', rescale: { scale, offset } },
    { images: 1, channels },
  );
  return new AffinePlan(coefficients, { layout: spec.layout });
}

function splitImages(x: { data: Uint8Array; shape: readonly number[] }): ResampleImage[] {
  if (!isPlainObject(x) || !(x.data instanceof Uint8Array)) {
    throw new PixelprepError('E_DTYPE', `Expected uint8 pixels { data: Uint8Array, shape: [H, W, C] or [N, H, W, C] } for the image (resizing is defined on 8-bit pixels) but received ${describe(isPlainObject(x) ? x.data : x)}`);
  }
  const shape = Array.isArray(x.shape) ? x.shape : [];
  if (!(shape.length === 3 || shape.length === 4) || !shape.every((d) => isInteger(d) && d >= 1)) {
    throw new PixelprepError('E_SHAPE', `Expected a shape [H, W, C] or [N, H, W, C] for the image but received ${describe(x.shape)}`);
  }
  const [N, H, W, C] = shape.length === 3 ? [1, ...shape] : shape;
  if (x.data.length !== N * H * W * C) throw new PixelprepError('E_SHAPE', `Expected ${N * H * W * C} values for shape [${shape.join(', ')}] but received ${x.data.length}`);
  const size = H * W * C;
  return Array.from({ length: N }, (_, n) => ({ data: x.data.subarray(n * size, (n + 1) * size), shape: [H, W, C] as [number, number, number] }));
}

/** The Pillow-exact resampler in the shape Preprocessor calls it. */
function resampleWithPillowKernels(image: ResampleImage, options: { width: number; height: number; kernel: ResampleKernel }): ResampleImage {
  const out = resize(image, options);
  return { data: out.data, shape: [out.shape[0], out.shape[1], out.shape[2]] };
}
