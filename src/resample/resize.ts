/**
 * Pillow-exact resizing of raw 8-bit pixels: `Image.resize(size, resample,
 * box, reducing_gap)` of Pillow 9.4.0, byte for byte, without Python.
 */
import type { RawBatch } from '../core/input.js';
import type { FloatBox, PassEngine } from './convolution.js';
import { PIL_FILTERS, type PilConvolutionKernel } from './filters.js';
import { resolveImage, resolveResizeOptions, type PilResizeOptions, type ResolvedResize } from './options.js';
import { passEngine } from './pass_engine.js';
import type { Raster } from './passes.js';
import { premultiply, unpremultiply } from './premultiply.js';
import { reduce } from './reduce.js';
import { resampleBox } from './resample_box.js';

/** Resized pixels, shape [height, width, channels]. */
export interface ResizedImage {
  readonly data: Uint8Array;
  readonly shape: readonly [number, number, number];
}

/**
 * Pillow's reducing_gap step (Image.resize in Image.py): when the box is at
 * least 2·gap times the output on an axis, Image.reduce by
 * trunc(boxSize / size / gap) first, over the box widened by the filter's
 * reach, and move the box into the reduced image.
 */
function reduceFirst(source: Raster, o: ResolvedResize, kernel: PilConvolutionKernel, gap: number): { image: Raster; box: FloatBox } {
  const [x0, y0, x1, y1] = o.box;
  const factorX = Math.trunc((x1 - x0) / o.width / gap) || 1;
  const factorY = Math.trunc((y1 - y0) / o.height / gap) || 1;
  if (factorX === 1 && factorY === 1) return { image: source, box: o.box };
  // Image._get_safe_box: the pixels the filter may reach around the box.
  const reach = PIL_FILTERS[kernel].support - 0.5;
  const reachX = (reach * (x1 - x0)) / o.width;
  const reachY = (reach * (y1 - y0)) / o.height;
  const left = Math.max(0, Math.trunc(x0 - reachX));
  const top = Math.max(0, Math.trunc(y0 - reachY));
  const right = Math.min(source.width, Math.ceil(x1 + reachX));
  const bottom = Math.min(source.height, Math.ceil(y1 + reachY));
  const image = reduce(source, factorX, factorY, [left, top, right - left, bottom - top]);
  return { image, box: [(x0 - left) / factorX, (y0 - top) / factorY, (x1 - left) / factorX, (y1 - top) / factorY] };
}

/** Image.resize for an L or RGB image, or an RGBa one (premultiplied, which Pillow resizes without reducing_gap). */
function resizeRaster(source: Raster, o: ResolvedResize, passes: PassEngine, allowGap: boolean): Raster {
  let image = source;
  let box: FloatBox = o.box;
  if (allowGap && o.reducingGap !== null && o.kernel !== 'pil-nearest') {
    ({ image, box } = reduceFirst(source, o, o.kernel, o.reducingGap));
  }
  return resampleBox(image, o.width, o.height, o.kernel, box, passes);
}

/**
 * Resizes raw pixels exactly as Pillow 9.4.0's `Image.resize` does, so a
 * model trained on Pillow-resized images (torchvision's PIL path, Hugging
 * Face image processors) sees the same bytes at serving time.
 *
 * Each convolution kernel is separable: a horizontal pass, then a vertical
 * one, each output sample `clip8((2^21 + Σ pixel·w) >> 22)` with weights
 * `w = round(2^22 · f((j − center + 0.5) / s) / Σ f)`, where the filter f is
 * stretched by s = max(1, in/out) when shrinking. 'pil-nearest' takes the
 * pixel under `box0 + (i + 0.5)·(box1 − box0)/size`. RGBA (4 channels) is
 * premultiplied by alpha around every kernel but nearest, as Pillow does.
 *
 * @param image `{ data: Uint8Array, shape: [height, width, channels] }`, channels 1 (L), 3 (RGB) or 4 (RGBA)
 *   (a RawBatch, so decodeImage's result passes straight in; 16-bit data is refused).
 * @param options width, height (required); kernel ('pil-bicubic'); box (whole image);
 *   reducingGap (none); maxValues (2^28); implementation ('auto').
 * @returns a new image `{ data, shape: [height, width, channels] }`.
 * @throws PixelprepError E_ARGUMENT for bad options or a box outside the image; E_DTYPE when data is not
 *   8-bit; E_SHAPE for a bad shape or channel count; E_VALUE when the output exceeds maxValues.
 * @example
 * const small = resize({ data: rgb, shape: [768, 1024, 3] }, { width: 224, height: 224, kernel: 'pil-bilinear' });
 * small.shape; // [224, 224, 3]
 */
export function resize(image: RawBatch, options: PilResizeOptions): ResizedImage {
  const source = resolveImage(image);
  const o = resolveResizeOptions(options, source);
  const [x0, y0, x1, y1] = o.box;
  let out: Raster;
  if (o.width === source.width && o.height === source.height && x0 === 0 && y0 === 0 && x1 === source.width && y1 === source.height) {
    out = { ...source, data: source.data.slice() };
  } else {
    const passes = passEngine(o.implementation);
    if (source.channels === 4 && o.kernel !== 'pil-nearest') {
      const resized = resizeRaster({ ...source, data: premultiply(source.data) }, o, passes, false);
      out = { ...resized, data: unpremultiply(resized.data) };
    } else {
      out = resizeRaster(source, o, passes, true);
    }
  }
  return { data: out.data, shape: [out.height, out.width, out.channels] };
}
