/**
 * The fused CPU kernel: reads uint8/uint16/int32/float data once and writes
 * float32 once. Arithmetic is float64 with one rounding on store.
 *
 * Large inputs go through the WebAssembly SIMD kernels (wasm_simd.ts), which
 * give bit-identical results; the JavaScript loops below run the rest (small
 * inputs, channel permutations of interleaved pixels, runtimes without SIMD).
 * Loops are specialised by shape instead of using `%` per value.
 */
import type { PixelArray } from '../../core/input.js';
import type { Geometry } from '../../core/layout.js';
import type { AffineCoefficients } from '../../core/plan.js';
import { affineRunWasm, choosePrecision, WASM_MAX_CHANNELS, wasmInputOf, wasmSimdAvailable, type RunCoefficients } from '../wasm/wasm_simd.js';

/** Below this many values the JS loop wins: the SIMD path has a fixed cost per call. */
const WASM_MIN_VALUES = 4096;

/**
 * Writes the plan's output for `data` into `out` (same length):
 * out = clip(data * scale[n,c] + offset[n,c], lo, hi) * post.scale + post.offset,
 * each value computed in float64 and rounded once to float32.
 */
export function affineCpu(data: PixelArray, g: Geometry, k: AffineCoefficients, out: Float32Array): void {
  if (affineSimd(data, g, k, out)) return;
  affineJs(data, g, k, out);
}

/** The WebAssembly SIMD path; false when it does not apply (the JS loop runs instead). */
function affineSimd(data: PixelArray, g: Geometry, k: AffineCoefficients, out: Float32Array): boolean {
  const { images: N, channels: C, pixels: P } = g;
  const order = k.channelOrder ?? null;
  const interleaved = g.layout === 'channels_last' && C > 1;
  if (N * C * P < WASM_MIN_VALUES || (interleaved && (order !== null || C > WASM_MAX_CHANNELS)) || !wasmSimdAvailable()) return false;
  const precision = choosePrecision(wasmInputOf(data), { scale: k.scale, offset: k.offset, clip: k.clip, post: k.post });
  const sets = (first: number, count: number): RunCoefficients => ({
    scale: k.scale.slice(first, first + count),
    offset: k.offset.slice(first, first + count),
    clip: k.clip,
    post: k.post,
  });
  const imageValues = C * P;
  const perChannel = k.channels > 1;
  const run = (from: number, to: number, count: number, coefficients: RunCoefficients) =>
    affineRunWasm(data, from, out, to, count, coefficients, precision);
  if (g.layout === 'channels_first' && (perChannel || order !== null)) {
    // Each (image, channel) plane is one run with one coefficient pair.
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        const start = n * imageValues;
        const set = (k.images === 1 ? 0 : n * k.channels) + (perChannel ? c : 0);
        if (!run(start + (order ? order[c] : c) * P, start + c * P, P, sets(set, 1))) return false;
      }
    }
    return true;
  }
  // Interleaved channels repeat with period C (or 1 when shared); shared sets make the whole batch one run.
  const period = interleaved && perChannel ? C : 1;
  if (k.images === 1) return run(0, 0, N * imageValues, sets(0, period));
  for (let n = 0; n < N; n++) {
    if (!run(n * imageValues, n * imageValues, imageValues, sets(n * k.channels, period))) return false;
  }
  return true;
}

/** The JavaScript loops. */
function affineJs(data: PixelArray, g: Geometry, k: AffineCoefficients, out: Float32Array): void {
  const { images: N, channels: C, pixels: P } = g;
  const order = k.channelOrder ?? null;
  const perChannel = k.channels > 1 || order !== null;
  const imageValues = C * P;
  // Channel-shared coefficients make each image (and with shared images, the whole batch) one contiguous run.
  if (!perChannel && k.images === 1) return run(data, out, 0, 0, N * imageValues, k, 0);
  for (let n = 0; n < N; n++) {
    const set = k.images === 1 ? 0 : n * k.channels;
    const start = n * imageValues;
    if (!perChannel) run(data, out, start, start, imageValues, k, set);
    else if (g.layout === 'channels_first') {
      for (let c = 0; c < C; c++) {
        run(data, out, start + (order ? order[c] : c) * P, start + c * P, P, k, set + (k.channels > 1 ? c : 0));
      }
    } else interleaved(data, out, start, start + imageValues, C, k, set);
  }
}

/** One contiguous run with one coefficient set: out[to + i] = f(data[from + i]). */
function run(data: PixelArray, out: Float32Array, from: number, to: number, count: number, k: AffineCoefficients, index: number): void {
  const s = k.scale[index];
  const o = k.offset[index];
  const shift = from - to;
  const end = to + count;
  if (k.clip === null && k.post === null) {
    for (let i = to; i < end; i++) out[i] = data[i + shift] * s + o;
    return;
  }
  const [lo, hi] = k.clip ?? [-Infinity, Infinity];
  const ps = k.post?.scale ?? 1;
  const po = k.post?.offset ?? 0;
  for (let i = to; i < end; i++) {
    const y = data[i + shift] * s + o;
    out[i] = (y < lo ? lo : y > hi ? hi : y) * ps + po;
  }
}

/** Channels-last pixels with per-channel coefficients (and an optional channel permutation). */
function interleaved(data: PixelArray, out: Float32Array, from: number, to: number, C: number, k: AffineCoefficients, set: number): void {
  const pick = (list: readonly number[]) => Float64Array.from({ length: C }, (_, c) => list[set + (k.channels > 1 ? c : 0)]);
  const s = pick(k.scale);
  const o = pick(k.offset);
  const src = Int32Array.from({ length: C }, (_, c) => k.channelOrder?.[c] ?? c);
  if (k.clip === null && k.post === null) {
    if (C === 3) {
      const s0 = s[0], s1 = s[1], s2 = s[2], o0 = o[0], o1 = o[1], o2 = o[2];
      const r0 = src[0], r1 = src[1], r2 = src[2];
      for (let i = from; i < to; i += 3) {
        out[i] = data[i + r0] * s0 + o0;
        out[i + 1] = data[i + r1] * s1 + o1;
        out[i + 2] = data[i + r2] * s2 + o2;
      }
      return;
    }
    for (let p = from; p < to; p += C) {
      for (let c = 0; c < C; c++) out[p + c] = data[p + src[c]] * s[c] + o[c];
    }
    return;
  }
  const [lo, hi] = k.clip ?? [-Infinity, Infinity];
  const ps = k.post?.scale ?? 1;
  const po = k.post?.offset ?? 0;
  for (let p = from; p < to; p += C) {
    for (let c = 0; c < C; c++) {
      const y = data[p + src[c]] * s[c] + o[c];
      out[p + c] = (y < lo ? lo : y > hi ? hi : y) * ps + po;
    }
  }
}
