/**
 * Pillow's Image.reduce (libImaging/Reduce.c, Pillow 9.4.0): each output
 * pixel is the mean of a factorX × factorY block of the source region, the
 * last column and row taking the partial blocks that remain. Pillow divides
 * by n samples as `((sum + floor(n / 2)) * m) >> 24` in 32-bit unsigned
 * arithmetic, with m = trunc(2^32 / (256 n)) computed in single precision;
 * for n a power of two that is exactly a rounded shift.
 */
import type { Raster } from './passes.js';

/** The multiplier for a block of n samples (Pillow's division_UINT32(n, 8)). */
export function reduceMultiplier(n: number): number {
  return Math.trunc(Math.fround(4294967296 / Math.fround(256 * n)));
}

/**
 * Reduces the integer region [left, top, left + regionWidth, top + regionHeight)
 * of `source` by the given factors; the result is ceil(regionWidth / factorX) wide.
 */
export function reduce(source: Raster, factorX: number, factorY: number, region: readonly [number, number, number, number]): Raster {
  const [left, top, regionWidth, regionHeight] = region;
  const { data, channels } = source;
  const width = Math.ceil(regionWidth / factorX);
  const height = Math.ceil(regionHeight / factorY);
  const out = new Uint8Array(width * height * channels);
  const rowBytes = source.width * channels;
  const sums = new Float64Array(channels);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const y0 = top + y * factorY;
    const rows = Math.min(factorY, top + regionHeight - y0);
    for (let x = 0; x < width; x++) {
      const x0 = left + x * factorX;
      const cols = Math.min(factorX, left + regionWidth - x0);
      const n = rows * cols;
      sums.fill(Math.floor(n / 2));
      for (let yy = y0; yy < y0 + rows; yy++) {
        let p = yy * rowBytes + x0 * channels;
        for (let xx = 0; xx < cols; xx++) for (let c = 0; c < channels; c++) sums[c] += data[p++];
      }
      const m = reduceMultiplier(n);
      // The product stays below 2^32, so it is exact in a double.
      for (let c = 0; c < channels; c++) out[o++] = Math.floor((sums[c] * m) / 16777216);
    }
  }
  return { data: out, width, height, channels };
}
