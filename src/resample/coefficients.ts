/**
 * The weights of one resampling pass, as Pillow's precompute_coeffs and
 * normalize_coeffs_8bpc compute them (libImaging/Resample.c, Pillow 9.4.0).
 *
 * Output sample i covers the source interval centred on
 * `center = in0 + (i + 0.5) * scale`, scale = (in1 - in0) / outSize. When
 * shrinking (scale > 1) the filter is stretched by the scale, so its support
 * grows to `support * scale` source pixels. The window is
 * [trunc(center - support + 0.5), trunc(center + support + 0.5)) clipped to
 * the source; each weight is `filter((j - center + 0.5) / filterScale)`, the
 * weights are divided by their sum, then turned into fixed point with
 * PRECISION_BITS = 22 fractional bits, rounding half away from zero.
 */
import type { PilFilter } from './filters.js';

/** Fractional bits of the fixed-point weights: 32 bits less 8 for the value and 2 for overshoot. */
export const PRECISION_BITS = 22;

export interface PassCoefficients {
  /** Taps per output sample (room for the widest window): ceil(support) * 2 + 1. */
  readonly taps: number;
  /** For output sample i: first source index at [2i], number of source samples used at [2i + 1]. */
  readonly bounds: Int32Array;
  /** Fixed-point weights, `taps` per output sample, zero past each window's length. */
  readonly weights: Int32Array;
}

/**
 * Coefficients for resampling the source span [in0, in1) of a line of
 * `inSize` samples to `outSize` samples.
 *
 * @param in0 start of the span; Pillow holds box coordinates as C floats, so callers pass Math.fround values.
 * @param in1 end of the span (same).
 */
export function passCoefficients(inSize: number, in0: number, in1: number, outSize: number, filter: PilFilter): PassCoefficients {
  // (double)(in1 - in0): the difference is taken in single precision first.
  const scale = Math.fround(in1 - in0) / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * taps);
  const window = new Float64Array(taps);
  const inverse = 1 / filterScale;
  for (let i = 0; i < outSize; i++) {
    const center = in0 + (i + 0.5) * scale;
    const first = Math.max(Math.trunc(center - support + 0.5), 0);
    const count = Math.min(Math.trunc(center + support + 0.5), inSize) - first;
    let sum = 0;
    for (let j = 0; j < count; j++) {
      const w = filter.weight((j + first - center + 0.5) * inverse);
      window[j] = w;
      sum += w;
    }
    for (let j = 0; j < count; j++) {
      const w = sum !== 0 ? window[j] / sum : window[j];
      weights[i * taps + j] = Math.trunc(w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
    }
    bounds[i * 2] = first;
    bounds[i * 2 + 1] = Math.max(count, 0);
  }
  return { taps, bounds, weights };
}
