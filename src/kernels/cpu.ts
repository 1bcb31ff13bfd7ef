/**
 * The fused CPU kernel: reads uint8/uint16/int32/float data once and writes
 * float32 once. Arithmetic is float64 (JavaScript numbers) with one rounding
 * on store. Loops are specialised by shape instead of using `%` per value.
 */
import type { PixelArray } from '../input.js';
import type { Geometry } from '../layout.js';
import type { AffineCoefficients } from '../plan.js';

/** Writes the plan's output for `data` into `out` (same length). */
export function affineCpu(data: PixelArray, g: Geometry, k: AffineCoefficients, out: Float32Array): void {
  const { images: N, channels: C, pixels: P } = g;
  const perChannel = k.channels > 1;
  const imageValues = C * P;
  // Channel-shared coefficients make each image (and with shared images, the whole batch) one contiguous run.
  if (!perChannel && k.images === 1) return run(data, out, 0, N * imageValues, k, 0);
  for (let n = 0; n < N; n++) {
    const set = k.images === 1 ? 0 : n * k.channels;
    const start = n * imageValues;
    if (!perChannel) run(data, out, start, start + imageValues, k, set);
    else if (g.layout === 'channels_first') {
      for (let c = 0; c < C; c++) run(data, out, start + c * P, start + (c + 1) * P, k, set + c);
    } else interleaved(data, out, start, start + imageValues, C, k, set);
  }
}

function run(data: PixelArray, out: Float32Array, from: number, to: number, k: AffineCoefficients, index: number): void {
  const s = k.scale[index];
  const o = k.offset[index];
  if (k.clip === null && k.post === null) {
    for (let i = from; i < to; i++) out[i] = data[i] * s + o;
    return;
  }
  const [lo, hi] = k.clip ?? [-Infinity, Infinity];
  const ps = k.post?.scale ?? 1;
  const po = k.post?.offset ?? 0;
  for (let i = from; i < to; i++) {
    const y = data[i] * s + o;
    out[i] = (y < lo ? lo : y > hi ? hi : y) * ps + po;
  }
}

function interleaved(data: PixelArray, out: Float32Array, from: number, to: number, C: number, k: AffineCoefficients, set: number): void {
  const s = Float64Array.from(k.scale.slice(set, set + C));
  const o = Float64Array.from(k.offset.slice(set, set + C));
  if (k.clip === null && k.post === null) {
    if (C === 3) {
      const s0 = s[0], s1 = s[1], s2 = s[2], o0 = o[0], o1 = o[1], o2 = o[2];
      for (let i = from; i < to; i += 3) {
        out[i] = data[i] * s0 + o0;
        out[i + 1] = data[i + 1] * s1 + o1;
        out[i + 2] = data[i + 2] * s2 + o2;
      }
      return;
    }
    for (let i = from, c = 0; i < to; i++) {
      out[i] = data[i] * s[c] + o[c];
      if (++c === C) c = 0;
    }
    return;
  }
  const [lo, hi] = k.clip ?? [-Infinity, Infinity];
  const ps = k.post?.scale ?? 1;
  const po = k.post?.offset ?? 0;
  for (let i = from, c = 0; i < to; i++) {
    const y = data[i] * s[c] + o[c];
    out[i] = (y < lo ? lo : y > hi ? hi : y) * ps + po;
    if (++c === C) c = 0;
  }
}
