/**
 * One pass over pixel data accumulating float64 moments per (image, channel).
 *
 * uint8 data is counted exactly: with WebAssembly SIMD (one channel, or
 * interleaved RGB) as integer sums Σx and Σx², from which M2 = (nΣx² − (Σx)²)/n
 * has an exact integer numerator; otherwise through a 256-bin histogram per
 * channel. Other types are summed in float64 in chunks, each chunk shifted by
 * its own first value (so constant data gives M2 = 0 exactly and large offsets
 * do not cancel), then merged with Chan's formula.
 */
import type { HostPixels, PixelArray } from '../../core/input.js';
import { uint8ChannelSums, type ChannelSums } from '../wasm/wasm_simd.js';
import type { Geometry } from '../../core/layout.js';
import { emptyMoments, mergeInto, type Moments } from '../../core/moments.js';

/** Pixels per chunk in the shifted-sum path: small enough that float64 sums stay exact to ~1e-15. */
const CHUNK_PIXELS = 4096;
const UINT8_BINS = 256;
/**
 * Pixels counted into 32-bit bins before they are flushed into float64 ones
 * (a Uint32Array increments twice as fast as a Float64Array; no bin reaches 2^32).
 */
const UINT32_SAFE_PIXELS = 2 ** 30;

/** Moments of every (image, channel), flat, image-major: `result[n * C + c]`. */
export function accumulateMoments({ data, dtype, geometry }: HostPixels): Moments[] {
  const { images, channels } = geometry;
  const result: Moments[] = new Array<Moments>(images * channels);
  for (let n = 0; n < images; n++) {
    const moments = dtype === 'uint8' ? accumulateUint8Image(data as Uint8Array, geometry, n) : accumulateImage(data, geometry, n);
    for (let c = 0; c < channels; c++) result[n * channels + c] = moments[c];
  }
  return result;
}

/**
 * Histogram of one image, per channel. Consecutive pixels count into separate
 * sub-histograms (two per channel) so that runs of equal values, common in
 * images, do not serialise on one counter's store-to-load forwarding.
 */
function accumulateUint8Image(data: Uint8Array, g: Geometry, n: number): Moments[] {
  const { channels: C, pixels: P } = g;
  const start = n * C * P;
  if (g.layout === 'channels_last' && C === 3) {
    const sums = uint8ChannelSums(data, start, 3 * P, 3);
    if (sums) return sums.map(momentsFromSums);
  } else if (g.layout === 'channels_first' || C === 1) {
    const planes = Array.from({ length: C }, (_, c) => uint8ChannelSums(data, start + c * P, P, 1)?.[0]);
    if (planes.every((p) => p !== undefined)) return planes.map((p) => momentsFromSums(p as ChannelSums));
  }
  return histogramMoments(data, g, n);
}

/**
 * Moments from exact integer sums: mean = Σx / n, M2 = (n·Σx² − (Σx)²) / n with
 * the numerator computed exactly (BigInt), so the only roundings are the two divisions.
 */
export function momentsFromSums(s: ChannelSums): Moments {
  if (s.count === 0) return emptyMoments();
  const n = BigInt(s.count);
  const sum = BigInt(s.sum);
  const numerator = n * BigInt(s.sumSquares) - sum * sum;
  return { count: s.count, mean: s.sum / s.count, m2: Number(numerator) / s.count, min: s.min, max: s.max };
}

/** The histogram path for any channel count and layout. */
function histogramMoments(data: Uint8Array, g: Geometry, n: number): Moments[] {
  const { channels: C, pixels: P } = g;
  const hist = new Float64Array(C * UINT8_BINS);
  const start = n * C * P;
  const values = C * P;
  const bins = new Uint32Array(2 * C * UINT8_BINS);
  const slabValues = UINT32_SAFE_PIXELS * C;
  for (let slab = 0; slab < values; slab += slabValues) {
    const from = start + slab;
    const count = Math.min(slabValues, values - slab);
    if (g.layout === 'channels_first' || C === 1) {
      for (let c = 0; c < C; c++) {
        const lo = Math.max(from, start + c * P);
        const hi = Math.min(from + count, start + (c + 1) * P);
        if (lo < hi) countRun(data, lo, hi, bins, 2 * c * UINT8_BINS);
      }
    } else if (C === 3) {
      countRgb(data, from, from + count, bins);
    } else {
      countInterleaved(data, from, from + count, C, bins);
    }
    for (let c = 0; c < C; c++) {
      const a = 2 * c * UINT8_BINS;
      for (let v = 0; v < UINT8_BINS; v++) hist[c * UINT8_BINS + v] += bins[a + v] + bins[a + UINT8_BINS + v];
    }
    bins.fill(0);
  }
  return Array.from({ length: C }, (_, c) => momentsFromHistogram(hist, c * UINT8_BINS, UINT8_BINS));
}

/** One channel's contiguous values into its two sub-histograms at `base`. */
function countRun(data: Uint8Array, from: number, to: number, bins: Uint32Array, base: number): void {
  const second = base + UINT8_BINS;
  let i = from;
  for (const last = to - 1; i < last; i += 2) {
    bins[base + data[i]]++;
    bins[second + data[i + 1]]++;
  }
  if (i < to) bins[base + data[i]]++;
}

/** Interleaved RGB, two pixels per step into six sub-histograms (channel c uses 2c and 2c+1). */
function countRgb(data: Uint8Array, from: number, to: number, bins: Uint32Array): void {
  const B = UINT8_BINS;
  let i = from;
  for (const last = to - 5; i < last; i += 6) {
    bins[data[i]]++;
    bins[2 * B + data[i + 1]]++;
    bins[4 * B + data[i + 2]]++;
    bins[B + data[i + 3]]++;
    bins[3 * B + data[i + 4]]++;
    bins[5 * B + data[i + 5]]++;
  }
  for (let c = 0; i < to; i++, c++) bins[2 * c * B + data[i]]++;
}

/** Any interleaved channel count: the channel index steps without `%`. */
function countInterleaved(data: Uint8Array, from: number, to: number, C: number, bins: Uint32Array): void {
  for (let i = from, c = 0, parity = 0; i < to; i++) {
    bins[(2 * c + parity) * UINT8_BINS + data[i]]++;
    if (++c === C) {
      c = 0;
      parity ^= 1;
    }
  }
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

function accumulateImage(data: PixelArray, g: Geometry, n: number): Moments[] {
  const { channels: C, pixels: P } = g;
  const start = n * C * P;
  const out = Array.from({ length: C }, emptyMoments);
  if (g.layout === 'channels_first' || C === 1) {
    for (let c = 0; c < C; c++) accumulateContiguous(data, start + c * P, P, out[c]);
  } else if (C === 3) {
    accumulateRgb(data, start, P, out);
  } else {
    accumulateInterleaved(data, start, P, C, out);
  }
  return out;
}

/**
 * One chunk's shifted sums: s = Σ(v - shift), q = Σ(v - shift)², merged as
 * (count, mean = shift + s/k, M2 = q - s²/k). The shift (the chunk's first value)
 * keeps the sums small so M2 does not cancel.
 */
function mergeChunk(into: Moments, k: number, shift: number, s: number, q: number, min: number, max: number): void {
  mergeInto(into, k, shift + s / k, Math.max(q - (s * s) / k, 0), min, max);
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
    mergeChunk(into, to - chunk, shift, s, q, min, max);
  }
}

/** Interleaved RGB with every sum in a local (no per-value array indexing). */
function accumulateRgb(data: PixelArray, from: number, pixels: number, out: Moments[]): void {
  for (let p0 = 0; p0 < pixels; p0 += CHUNK_PIXELS) {
    const k = Math.min(CHUNK_PIXELS, pixels - p0);
    const begin = from + p0 * 3;
    const end = begin + k * 3;
    const h0 = data[begin], h1 = data[begin + 1], h2 = data[begin + 2];
    let s0 = 0, s1 = 0, s2 = 0, q0 = 0, q1 = 0, q2 = 0;
    let lo0 = h0, lo1 = h1, lo2 = h2, hi0 = h0, hi1 = h1, hi2 = h2;
    for (let i = begin; i < end; i += 3) {
      const v0 = data[i], v1 = data[i + 1], v2 = data[i + 2];
      const d0 = v0 - h0, d1 = v1 - h1, d2 = v2 - h2;
      s0 += d0;
      s1 += d1;
      s2 += d2;
      q0 += d0 * d0;
      q1 += d1 * d1;
      q2 += d2 * d2;
      if (v0 < lo0) lo0 = v0;
      if (v0 > hi0) hi0 = v0;
      if (v1 < lo1) lo1 = v1;
      if (v1 > hi1) hi1 = v1;
      if (v2 < lo2) lo2 = v2;
      if (v2 > hi2) hi2 = v2;
    }
    mergeChunk(out[0], k, h0, s0, q0, lo0, hi0);
    mergeChunk(out[1], k, h1, s1, q1, lo1, hi1);
    mergeChunk(out[2], k, h2, s2, q2, lo2, hi2);
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
    for (let c = 0; c < C; c++) mergeChunk(out[c], k, shift[c], s[c], q[c], lo[c], hi[c]);
  }
}
