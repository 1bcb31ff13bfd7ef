/**
 * One pass over pixel data accumulating float64 moments per (image, channel).
 *
 * uint8 data goes through a 256-bin histogram per channel: one increment per
 * value, and the moments that come out of it are exact. Other types are summed
 * in float64 in chunks, each chunk shifted by its own first value (so constant
 * data gives M2 = 0 exactly and large offsets do not cancel), then merged
 * with Chan's formula.
 */
import type { HostPixels, PixelArray } from '../input.js';
import type { Geometry } from '../layout.js';
import { emptyMoments, mergeInto, type Moments } from './moments.js';

/** Pixels per chunk in the shifted-sum path: small enough that float64 sums stay exact to ~1e-15. */
const CHUNK_PIXELS = 4096;
const UINT8_BINS = 256;

/** Moments of every (image, channel), flat, image-major: `result[n * C + c]`. */
export function accumulateMoments({ data, dtype, geometry }: HostPixels): Moments[] {
  const { images, channels } = geometry;
  const result: Moments[] = Array.from({ length: images * channels }, emptyMoments);
  for (let n = 0; n < images; n++) {
    const moments = result.slice(n * channels, (n + 1) * channels);
    if (dtype === 'uint8') accumulateUint8Image(data as Uint8Array, geometry, n, moments);
    else accumulateImage(data, geometry, n, moments);
    result.splice(n * channels, channels, ...moments);
  }
  return result;
}

function accumulateUint8Image(data: Uint8Array, g: Geometry, n: number, out: Moments[]): void {
  const { channels: C, pixels: P } = g;
  const hist = new Float64Array(C * UINT8_BINS);
  const start = n * C * P;
  if (g.layout === 'channels_first' || C === 1) {
    for (let c = 0; c < C; c++) {
      const base = c * UINT8_BINS;
      const from = start + c * P;
      const to = from + P;
      for (let i = from; i < to; i++) hist[base + data[i]]++;
    }
  } else if (C === 3) {
    const to = start + 3 * P;
    for (let i = start; i < to; i += 3) {
      hist[data[i]]++;
      hist[UINT8_BINS + data[i + 1]]++;
      hist[2 * UINT8_BINS + data[i + 2]]++;
    }
  } else {
    const to = start + C * P;
    for (let i = start, c = 0; i < to; i++) {
      hist[c * UINT8_BINS + data[i]]++;
      if (++c === C) c = 0;
    }
  }
  for (let c = 0; c < C; c++) out[c] = momentsFromHistogram(hist, c * UINT8_BINS, UINT8_BINS);
}

/** Exact moments of integer values 0..bins-1 given their counts. */
export function momentsFromHistogram(hist: Float64Array, offset: number, bins: number): Moments {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let v = 0; v < bins; v++) {
    const h = hist[offset + v];
    if (h === 0) continue;
    count += h;
    sum += h * v;
    if (v < min) min = v;
    max = v;
  }
  if (count === 0) return emptyMoments();
  const mean = sum / count;
  let m2 = 0;
  for (let v = min; v <= max; v++) {
    const d = v - mean;
    m2 += hist[offset + v] * d * d;
  }
  return { count, mean, m2, min, max };
}

function accumulateImage(data: PixelArray, g: Geometry, n: number, out: Moments[]): void {
  const { channels: C, pixels: P } = g;
  const start = n * C * P;
  if (g.layout === 'channels_first' || C === 1) {
    for (let c = 0; c < C; c++) accumulateContiguous(data, start + c * P, P, out[c]);
  } else {
    accumulateInterleaved(data, start, P, C, out);
  }
}

function accumulateContiguous(data: PixelArray, from: number, count: number, into: Moments): void {
  for (let chunk = from, end = from + count; chunk < end; chunk += CHUNK_PIXELS) {
    const to = Math.min(chunk + CHUNK_PIXELS, end);
    const shift = data[chunk];
    let s = 0;
    let q = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = chunk; i < to; i++) {
      const v = data[i];
      const d = v - shift;
      s += d;
      q += d * d;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const k = to - chunk;
    mergeInto(into, k, shift + s / k, Math.max(q - (s * s) / k, 0), min, max);
  }
}

function accumulateInterleaved(data: PixelArray, from: number, pixels: number, C: number, out: Moments[]): void {
  const s = new Float64Array(C);
  const q = new Float64Array(C);
  const lo = new Float64Array(C);
  const hi = new Float64Array(C);
  const shift = new Float64Array(C);
  for (let p0 = 0; p0 < pixels; p0 += CHUNK_PIXELS) {
    const k = Math.min(CHUNK_PIXELS, pixels - p0);
    const begin = from + p0 * C;
    const end = begin + k * C;
    for (let c = 0; c < C; c++) {
      shift[c] = data[begin + c];
      s[c] = 0;
      q[c] = 0;
      lo[c] = Infinity;
      hi[c] = -Infinity;
    }
    for (let i = begin, c = 0; i < end; i++) {
      const v = data[i];
      const d = v - shift[c];
      s[c] += d;
      q[c] += d * d;
      if (v < lo[c]) lo[c] = v;
      if (v > hi[c]) hi[c] = v;
      if (++c === C) c = 0;
    }
    for (let c = 0; c < C; c++) {
      mergeInto(out[c], k, shift[c] + s[c] / k, Math.max(q[c] - (s[c] * s[c]) / k, 0), lo[c], hi[c]);
    }
  }
}
