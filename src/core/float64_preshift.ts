/**
 * Float64 pixels for a float32 kernel, without losing their precision: each
 * value has its channel's shift (core/shifted_coefficients.ts) subtracted in
 * float64 on the host before it is rounded to float32, and the plan left to
 * apply is `z * scale + base`. Data such as 1e6 + 0.01 keeps its 0.01, where
 * rounding x to float32 first would keep only multiples of 0.0625.
 */
import type { AffineCoefficients } from './coefficients.js';
import { isRawBatch, type PixelInput } from './input.js';
import type { PixelPacking } from './kernel_names.js';
import type { Geometry } from './layout.js';
import { shiftedCoefficients } from './shifted_coefficients.js';

/** The pixels and coefficients to hand a kernel that accepts `packings`: raw float64 input preshifted unless a float64 kernel reads it as it is. */
export function keepFloat64Precision(x: PixelInput, g: Geometry, k: AffineCoefficients, packings: readonly PixelPacking[]): { pixels: PixelInput; coefficients: AffineCoefficients } {
  if (!isRawBatch(x) || !(x.data instanceof Float64Array) || packings.includes('float64')) return { pixels: x, coefficients: k };
  const { data, coefficients } = preshiftFloat64(x.data, g, k);
  return { pixels: { data, shape: g.shape }, coefficients };
}

/** x minus its channel's shift, rounded once to float32, and the coefficients that finish the plan on it. */
export function preshiftFloat64(data: Float64Array, g: Geometry, k: AffineCoefficients): { data: Float32Array; coefficients: AffineCoefficients } {
  const { shift, base } = shiftedCoefficients(k);
  const { images, channels: C, pixels } = g;
  const order = k.channelOrder ?? null;
  // The coefficient set that input channel c of image n meets: the output channel that reads c.
  const setOf = (n: number, c: number) => (k.images > 1 ? n * k.channels : 0) + (k.channels > 1 ? (order ? order.indexOf(c) : c) : 0);
  const out = new Float32Array(data.length);
  for (let n = 0; n < images; n++) {
    for (let c = 0; c < C; c++) {
      const s = shift[setOf(n, c)];
      if (g.layout === 'channels_first') {
        const start = (n * C + c) * pixels;
        for (let p = start; p < start + pixels; p++) out[p] = data[p] - s;
      } else {
        const end = (n + 1) * pixels * C;
        for (let p = n * pixels * C + c; p < end; p += C) out[p] = data[p] - s;
      }
    }
  }
  return { data: out, coefficients: { ...k, offset: base } };
}
