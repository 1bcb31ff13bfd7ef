/**
 * Pillow's resampling filters (libImaging/Resample.c, Pillow 9.4.0): each a
 * weight function of the distance in source pixels and its support radius.
 * The formulas are written exactly as Pillow evaluates them in double
 * precision, single-precision constants included, so the coefficients
 * derived from them are the same numbers.
 */

/** Kernels of `resize`, each named after the Pillow filter it reproduces. */
export const PIL_KERNELS = ['pil-nearest', 'pil-box', 'pil-bilinear', 'pil-hamming', 'pil-bicubic', 'pil-lanczos'] as const;
export type PilKernel = (typeof PIL_KERNELS)[number];
/** The kernels that are convolutions (all but nearest, which Pillow maps through an affine transform). */
export type PilConvolutionKernel = Exclude<PilKernel, 'pil-nearest'>;

export interface PilFilter {
  /** Half-width of the kernel at scale 1, in source pixels. */
  readonly support: number;
  /** Weight at distance x (unnormalized). */
  readonly weight: (x: number) => number;
}

const box = (x: number): number => (x > -0.5 && x <= 0.5 ? 1 : 0);

const bilinear = (x: number): number => {
  const d = Math.abs(x);
  return d < 1 ? 1 - d : 0;
};

/** Pillow writes the window's constants as C floats: 0.54f and 0.46f. */
const HAMMING_A = Math.fround(0.54);
const HAMMING_B = Math.fround(0.46);
const hamming = (x: number): number => {
  const d = Math.abs(x);
  if (d === 0) return 1;
  if (d >= 1) return 0;
  const t = d * Math.PI;
  return (Math.sin(t) / t) * (HAMMING_A + HAMMING_B * Math.cos(t));
};

/** Keys' cubic convolution with a = -0.5. */
const A = -0.5;
const bicubic = (x: number): number => {
  const d = Math.abs(x);
  if (d < 1) return ((A + 2) * d - (A + 3)) * d * d + 1;
  if (d < 2) return (((d - 5) * d + 8) * d - 4) * A;
  return 0;
};

const sinc = (x: number): number => {
  if (x === 0) return 1;
  const t = x * Math.PI;
  return Math.sin(t) / t;
};
/** sinc windowed by sinc(x/3), truncated at ±3 (the interval is half-open, as in Pillow). */
const lanczos = (x: number): number => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0);

/** The filter table, keyed by kernel name. */
export const PIL_FILTERS: Readonly<Record<PilConvolutionKernel, PilFilter>> = {
  'pil-box': { support: 0.5, weight: box },
  'pil-bilinear': { support: 1, weight: bilinear },
  'pil-hamming': { support: 1, weight: hamming },
  'pil-bicubic': { support: 2, weight: bicubic },
  'pil-lanczos': { support: 3, weight: lanczos },
};
