/**
 * The plan's coefficients in the form the float32 kernels (the composite op
 * chain, the WGSL kernel) compute: y = (x - shift) * scale + base, with
 * shift = float32(-offset / scale) and base = offset + shift * scale in float64.
 *
 * Values near the mean are subtracted before they are scaled, so float32 keeps
 * its precision there, and base restores what rounding shift to float32 lost.
 * When -offset / scale is beyond float32's range, shift is 0 and base is the
 * offset: the plain x * scale + offset, which stays finite.
 */
import type { AffineCoefficients } from './coefficients.js';

export interface ShiftedCoefficients {
  shift: number[];
  scale: number[];
  base: number[];
}

export function shiftedCoefficients(k: AffineCoefficients): ShiftedCoefficients {
  const shift = k.offset.map((o, i) => {
    const s = Math.fround(-o / k.scale[i]);
    return Number.isFinite(s) ? s : 0;
  });
  return { shift, scale: [...k.scale], base: k.offset.map((o, i) => o + shift[i] * k.scale[i]) };
}
