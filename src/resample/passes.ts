/**
 * The two separable passes of Pillow's 8-bit resampling
 * (ImagingResampleHorizontal_8bpc / ImagingResampleVertical_8bpc): each
 * output sample is `clip8((2^21 + Σ pixel · weight) >> 22)` in 32-bit
 * integer arithmetic, over fixed-point weights from passCoefficients.
 * Images are interleaved bytes, `channels` per pixel.
 */
import { PRECISION_BITS, type PassCoefficients } from './coefficients.js';

/** Adding half of the last kept bit rounds the sum to nearest. */
const HALF = 1 << (PRECISION_BITS - 1);

/** Pillow's clip8: the integer part of a fixed-point sum, clamped to a byte. */
const clip8 = (sum: number): number => {
  const v = sum >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
};

/** A raw interleaved image. */
export interface Raster {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/**
 * Resamples each row of `source` from row `firstRow` on, for `rows` rows, to
 * `bounds.length / 2` columns.
 */
export function horizontalPass(source: Raster, firstRow: number, rows: number, coefficients: PassCoefficients): Raster {
  const { data, width, channels } = source;
  const { taps, bounds, weights } = coefficients;
  const outWidth = bounds.length / 2;
  const out = new Uint8Array(outWidth * rows * channels);
  const rowBytes = width * channels;
  let o = 0;
  for (let y = 0; y < rows; y++) {
    const row = (y + firstRow) * rowBytes;
    for (let x = 0; x < outWidth; x++) {
      const first = row + bounds[2 * x] * channels;
      const count = bounds[2 * x + 1];
      const k = x * taps;
      for (let c = 0; c < channels; c++) {
        let sum = HALF;
        for (let j = 0, p = first + c; j < count; j++, p += channels) sum = (sum + data[p] * weights[k + j]) | 0;
        out[o++] = clip8(sum);
      }
    }
  }
  return { data: out, width: outWidth, height: rows, channels };
}

/** Resamples each column of `source` to `bounds.length / 2` rows (row indices relative to row 0 of `source`). */
export function verticalPass(source: Raster, coefficients: PassCoefficients): Raster {
  const { data, width, channels } = source;
  const { taps, bounds, weights } = coefficients;
  const outHeight = bounds.length / 2;
  const rowBytes = width * channels;
  const out = new Uint8Array(outHeight * rowBytes);
  for (let y = 0; y < outHeight; y++) {
    const first = bounds[2 * y] * rowBytes;
    const count = bounds[2 * y + 1];
    const k = y * taps;
    const o = y * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      let sum = HALF;
      for (let j = 0, p = first + i; j < count; j++, p += rowBytes) sum = (sum + data[p] * weights[k + j]) | 0;
      out[o + i] = clip8(sum);
    }
  }
  return { data: out, width, height: outHeight, channels };
}
