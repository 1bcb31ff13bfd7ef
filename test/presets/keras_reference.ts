/**
 * Keras' `imagenet_utils._preprocess_numpy_input`, re-written in float64 from
 * the Keras source (keras/src/applications/imagenet_utils.py), independent of
 * the code under test: its constants are typed here again, not imported.
 */
export type KerasMode = 'caffe' | 'tf' | 'torch' | 'none';
export type Layout = 'channels_last' | 'channels_first';

const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];
const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];

/** One pixel's channel values through a mode, as Keras computes them (RGB in). */
export function kerasPixel(rgb: readonly number[], mode: KerasMode): number[] {
  switch (mode) {
    case 'tf':
      return rgb.map((v) => v / 127.5 - 1);
    case 'torch':
      return rgb.map((v, c) => (v / 255 - TORCH_MEAN[c]) / TORCH_STD[c]);
    case 'caffe':
      return [...rgb].reverse().map((v, c) => v - CAFFE_MEAN_BGR[c]);
    case 'none':
      return [...rgb];
  }
}

/** Flat index of (image n, pixel p, channel c) in a batch of `pixels` pixels and C channels. */
export function flatIndex(layout: Layout, n: number, p: number, c: number, pixels: number, channels: number): number {
  return layout === 'channels_last' ? (n * pixels + p) * channels + c : (n * channels + c) * pixels + p;
}

/** A whole batch through a mode: values laid out as `layout`, N images of `pixels` pixels, 3 channels. */
export function kerasBatch(values: ArrayLike<number>, layout: Layout, images: number, pixels: number, mode: KerasMode): Float64Array {
  const out = new Float64Array(values.length);
  for (let n = 0; n < images; n++) {
    for (let p = 0; p < pixels; p++) {
      const rgb = [0, 1, 2].map((c) => values[flatIndex(layout, n, p, c, pixels, 3)]);
      kerasPixel(rgb, mode).forEach((v, c) => (out[flatIndex(layout, n, p, c, pixels, 3)] = v));
    }
  }
  return out;
}

/** Interleaved RGB pixels (channels last) to the given layout, for N images of `pixels` pixels. */
export function toLayout(rgbLast: ArrayLike<number>, layout: Layout, images: number, pixels: number): number[] {
  const out = new Array<number>(rgbLast.length);
  for (let n = 0; n < images; n++) {
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < 3; c++) out[flatIndex(layout, n, p, c, pixels, 3)] = rgbLast[(n * pixels + p) * 3 + c];
    }
  }
  return out;
}

/** Largest |got - expected| relative to max(1, |expected|): float32 holds ~7 significant digits at any magnitude. */
export function maxRelativeError(got: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (got.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const e = Math.abs(got[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (Number.isNaN(e)) return Infinity;
    if (e > worst) worst = e;
  }
  return worst;
}

/** Deterministic bytes (a 32-bit LCG), so failures reproduce. */
export function seededBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}
