/**
 * Two-pass separable resampling, Pillow's ImagingResampleInner (Pillow 9.4.0):
 * the horizontal pass runs first, over only the source rows the vertical
 * pass will read, then the vertical pass. A pass is skipped when its axis
 * keeps its size and the box spans it exactly (Pillow's test, which compares
 * the box's far edge with the requested size).
 */
import { passCoefficients } from './coefficients.js';
import type { PilFilter } from './filters.js';
import { horizontalPass, verticalPass, type Raster } from './passes.js';

/** The two passes; the WebAssembly ones are drop-in replacements giving the same bytes. */
export interface PassEngine {
  readonly horizontal: typeof horizontalPass;
  readonly vertical: typeof verticalPass;
}

export const JS_PASSES: PassEngine = { horizontal: horizontalPass, vertical: verticalPass };

/** A source region [x0, y0, x1, y1] in single precision, as Pillow stores it. */
export type FloatBox = readonly [number, number, number, number];

/** Resamples `box` of `source` to width × height with a convolution filter. */
export function convolve(source: Raster, width: number, height: number, filter: PilFilter, box: FloatBox, passes: PassEngine = JS_PASSES): Raster {
  const needHorizontal = width !== source.width || box[0] !== 0 || box[2] !== width;
  const needVertical = height !== source.height || box[1] !== 0 || box[3] !== height;
  const vertical = passCoefficients(source.height, box[1], box[3], height, filter);
  let image = source;
  if (needHorizontal) {
    const rowsFrom = vertical.bounds[0];
    const rowsTo = vertical.bounds[2 * height - 2] + vertical.bounds[2 * height - 1];
    // The vertical pass then reads rows relative to the first one kept.
    for (let i = 0; i < height; i++) vertical.bounds[2 * i] -= rowsFrom;
    image = passes.horizontal(source, rowsFrom, rowsTo - rowsFrom, passCoefficients(source.width, box[0], box[2], width, filter));
  }
  if (needVertical) image = passes.vertical(image, vertical);
  return image === source ? { ...source, data: source.data.slice() } : image;
}
