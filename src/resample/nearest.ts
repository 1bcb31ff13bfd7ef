/**
 * Nearest-neighbour resizing as Pillow does it (Pillow 9.4.0): not a
 * convolution but an affine scale (ImagingScaleAffine in Geometry.c).
 * Source coordinates start at `box0 + step / 2` with step = (box1 - box0) / size
 * and advance by repeated addition of the step in double precision; each
 * is truncated to a pixel index. Samples that fall outside the source are 0.
 */
import type { FloatBox } from './convolution.js';
import type { Raster } from './passes.js';

/** Pillow's COORD: truncation, with every negative coordinate outside. */
const coord = (v: number): number => (v < 0 ? -1 : Math.trunc(v));

export function nearest(source: Raster, width: number, height: number, box: FloatBox): Raster {
  const { data, channels } = source;
  const stepX = Math.fround(box[2] - box[0]) / width;
  const stepY = Math.fround(box[3] - box[1]) / height;
  // Column lookup, tabulated once; columns outside the source are left at 0 like Pillow's table.
  const columns = new Int32Array(width);
  let firstValid = width;
  let endValid = 0;
  let sx = box[0] + stepX * 0.5;
  for (let x = 0; x < width; x++, sx += stepX) {
    const column = coord(sx);
    if (column >= 0 && column < source.width) {
      endValid = x + 1;
      if (x < firstValid) firstValid = x;
      columns[x] = column;
    }
  }
  const out = new Uint8Array(width * height * channels);
  const rowBytes = source.width * channels;
  let sy = box[1] + stepY * 0.5;
  for (let y = 0; y < height; y++, sy += stepY) {
    const row = coord(sy);
    if (row < 0 || row >= source.height) continue;
    const o = y * width * channels;
    for (let x = firstValid; x < endValid; x++) {
      const p = row * rowBytes + columns[x] * channels;
      for (let c = 0; c < channels; c++) out[o + x * channels + c] = data[p + c];
    }
  }
  return { data: out, width, height, channels };
}
