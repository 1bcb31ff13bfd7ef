/**
 * Pillow's core resize (`ImagingObject.resize` in _imaging.c, Pillow 9.4.0):
 * the box is narrowed to single precision; a box with integer origin whose
 * size equals the output is a plain crop; nearest goes through the affine
 * scale; every other filter through the two-pass convolution.
 */
import { convolve, JS_PASSES, type FloatBox, type PassEngine } from './convolution.js';
import { PIL_FILTERS, type PilKernel } from './filters.js';
import { nearest } from './nearest.js';
import type { Raster } from './passes.js';

/** The integer rectangle [x0, y0, x0 + width, y0 + height) of `source`. */
function crop(source: Raster, x0: number, y0: number, width: number, height: number): Raster {
  const { data, channels } = source;
  const out = new Uint8Array(width * height * channels);
  const rowBytes = width * channels;
  for (let y = 0; y < height; y++) {
    const from = ((y0 + y) * source.width + x0) * channels;
    out.set(data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return { data: out, width, height, channels };
}

/** Resizes the region `box` (source pixels, any precision) of `source` to width × height. */
export function resampleBox(source: Raster, width: number, height: number, kernel: PilKernel, box: FloatBox, passes: PassEngine = JS_PASSES): Raster {
  const f: FloatBox = [Math.fround(box[0]), Math.fround(box[1]), Math.fround(box[2]), Math.fround(box[3])];
  const integerOrigin = f[0] === Math.trunc(f[0]) && f[1] === Math.trunc(f[1]);
  if (integerOrigin && Math.fround(f[2] - f[0]) === width && Math.fround(f[3] - f[1]) === height) {
    return crop(source, f[0], f[1], width, height);
  }
  if (kernel === 'pil-nearest') return nearest(source, width, height, f);
  return convolve(source, width, height, PIL_FILTERS[kernel], f, passes);
}
