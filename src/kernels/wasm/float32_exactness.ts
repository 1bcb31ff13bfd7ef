/**
 * The proof that float32 arithmetic gives the float64 formula's float32 for
 * every possible 8- or 16-bit input and these coefficients: where it holds,
 * the affine runner uses the twice-as-fast f32x4 kernels.
 */
import { hasVariant, type WasmInput, type WasmPrecision } from './affine_module.js';

/** Clip and post-affine step shared by every value (identity when absent). */
export interface AffineTail {
  clip: readonly [number, number] | null;
  post: { readonly scale: number; readonly offset: number } | null;
}

/**
 * Per-position coefficients of a run: value i of the run uses
 * `scale[i % period]` and `offset[i % period]` (period = channels for interleaved
 * pixels, 1 for a single-coefficient run).
 */
export interface RunCoefficients extends AffineTail {
  scale: ArrayLike<number>;
  offset: ArrayLike<number>;
}

/**
 * The float32 form of a scale for integer input of `inputBits` bits: A keeps
 * 24 - inputBits significant bits (so x * A is exact in float32) and B is the
 * float32 remainder.
 */
export function splitScale(s: number, inputBits: number): [number, number] {
  const step = 2 ** (Math.floor(Math.log2(Math.abs(s))) - (23 - inputBits));
  const a = Math.round(s / step) * step;
  return [a, Math.fround(s - a)];
}

/**
 * Whether float32 arithmetic gives exactly the float64 formula's float32 for
 * every integer input 0..maxValue and every coefficient pair: checked value by
 * value (Math.fround after each operation is exactly IEEE float32 arithmetic,
 * since float64 has more than 2×24+2 bits).
 */
export function float32IsExact(scale: ArrayLike<number>, offset: ArrayLike<number>, tail: AffineTail, inputBits: number): boolean {
  const f = Math.fround;
  const [lo, hi] = tail.clip ?? [-Infinity, Infinity];
  const ps = tail.post?.scale ?? 1;
  const po = tail.post?.offset ?? 0;
  const lo32 = f(lo), hi32 = f(hi), ps32 = f(ps), po32 = f(po);
  const clipped = tail.clip !== null || tail.post !== null;
  const maxValue = 2 ** inputBits - 1;
  for (let k = 0; k < scale.length; k++) {
    const s = scale[k], o = offset[k], o32 = f(o);
    const [a, b] = splitScale(s, inputBits);
    for (let v = 0; v <= maxValue; v++) {
      let y = v * s + o;
      let y32 = f(f(f(v * a) + f(v * b)) + o32);
      if (clipped) {
        y = (y < lo ? lo : y > hi ? hi : y) * ps + po;
        y32 = y32 < lo32 ? lo32 : y32;
        y32 = hi32 < y32 ? hi32 : y32;
        y32 = f(f(y32 * ps32) + po32);
      }
      if (!Object.is(f(y), y32)) return false;
    }
  }
  return true;
}

/** Largest number of (coefficient pair × input value) checks spent proving the float32 path exact. */
const EXACTNESS_CHECK_BUDGET = 1 << 18;

/** float32 arithmetic where it is proven exact for these coefficients and this input type, else float64. */
export function choosePrecision(input: WasmInput, k: RunCoefficients): WasmPrecision {
  if (!hasVariant(input, 'f32')) return 'f64';
  const bits = input === 'u8' ? 8 : 16;
  if (k.scale.length * 2 ** bits > EXACTNESS_CHECK_BUDGET) return 'f64';
  return float32IsExact(k.scale, k.offset, k, bits) ? 'f32' : 'f64';
}
