/**
 * One finiteness rule for every kernel: before a plan runs, prove from its
 * coefficients and the input's value range that every output (and every
 * intermediate the kernels compute) is finite in float32, or refuse with
 * E_VALUE naming the coefficient and channel. Finite input never becomes
 * ±Infinity or NaN silently (e.g. `rescale` by 3e38 on 0..255 pixels).
 *
 * An affine step is monotone, so over x ∈ [min, max] its extremes are at the
 * ends: checking both ends of each step bounds every value in between. The
 * steps checked are the ones the kernels compute:
 *
 *     x * scale,  x * scale + offset                      (host and wasm kernels)
 *     x - shift,  (x - shift) * scale + base              (composite and WGSL kernels,
 *                 shift = float32(-offset / scale), base = offset + shift * scale)
 *     clip(y, lo, hi) * post.scale + post.offset          (after the clip)
 *
 * The bound is FLOAT32_MAX less a relative margin of 2⁻²⁰, which covers the
 * rounding of float32 arithmetic (each step rounds by at most 2⁻²⁴).
 */
import type { AffineCoefficients } from './coefficients.js';
import { PixelprepError } from './errors.js';
import type { Geometry } from './layout.js';

/** The largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;
/** Values proven at most this large stay finite through float32 rounding. */
export const FLOAT32_SAFE = FLOAT32_MAX * (1 - 2 ** -20);

/** The smallest and largest input value of one channel (of one image). */
export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

/** The coefficient fields the proof needs: an AffinePlan's coefficients. */
export type AffineBounds = AffineCoefficients;

const representable = (v: number): boolean => Math.abs(v) <= FLOAT32_SAFE;

/**
 * Per image and channel [min, max] of `data` laid out as `geometry` says:
 * `ranges[n][c]`. Integer data (uint8, uint16, int32) is scanned like float
 * data, so the ranges are the data's own, not its type's.
 */
export function valueRanges(data: ArrayLike<number>, geometry: Geometry): ValueRange[][] {
  const { images, channels, pixels, layout } = geometry;
  const ranges: ValueRange[][] = [];
  for (let n = 0; n < images; n++) {
    const row: ValueRange[] = [];
    for (let c = 0; c < channels; c++) {
      let min = Infinity;
      let max = -Infinity;
      const first = layout === 'channels_first' ? (n * channels + c) * pixels : n * pixels * channels + c;
      const step = layout === 'channels_first' ? 1 : channels;
      for (let p = 0, i = first; p < pixels; p++, i += step) {
        const v = data[i];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      row.push({ min, max });
    }
    ranges.push(row);
  }
  return ranges;
}

/** [min, max] of all of `data`: one pass, for a first, pooled attempt at the proof. */
export function overallRange(data: ArrayLike<number>): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** The range of coefficient set (image n, channel c) pools: the input channels and images it applies to. */
function pooledRange(ranges: readonly (readonly ValueRange[])[], k: AffineBounds, n: number, c: number): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  const imagesIn = k.images === 1 ? ranges.map((_, i) => i) : [n];
  for (const image of imagesIn) {
    const row = ranges[image] ?? [];
    // Output channel c reads input channel channelOrder[c]; shared coefficients read every channel.
    const channelsIn = k.channels === 1 ? row.map((_, i) => i) : [k.channelOrder?.[c] ?? c];
    for (const ch of channelsIn) {
      const r = row[ch];
      if (r === undefined) continue;
      if (r.min < min) min = r.min;
      if (r.max > max) max = r.max;
    }
  }
  return { min, max };
}

/**
 * Proves that applying the affine coefficients `k` to inputs within `ranges`
 * (`ranges[image][channel]`, as `valueRanges` gives; one row serves every
 * image) yields only finite float32 values.
 *
 * @param name how messages name the plan (default 'the plan').
 * @throws PixelprepError E_VALUE naming the coefficient, the channel and the
 *   value that would not be representable, when the proof fails.
 * @example
 * checkFloat32Outputs(plan.coefficients, [[{ min: 0, max: 255 }]]); // rescale by 3e38 → E_VALUE
 */
export function checkFloat32Outputs(k: AffineBounds, ranges: readonly (readonly ValueRange[])[], name = 'the plan'): void {
  const fail = (what: string, index: number, value: number, range: ValueRange): never => {
    const n = Math.floor(index / k.channels);
    const c = index % k.channels;
    const where = `${k.channels === 1 ? 'every channel' : `channel ${c}`}${k.images === 1 ? '' : ` of image ${n}`}`;
    throw new PixelprepError(
      'E_VALUE',
      `Expected ${name} to give outputs within float32 range (±${FLOAT32_MAX.toExponential(4)}) but ${what} reaches ${value.toExponential(4)} for ${where} (scale[${index}] = ${k.scale[index]}, offset[${index}] = ${k.offset[index]}, inputs in [${range.min}, ${range.max}])`,
    );
  };
  for (let i = 0; i < k.scale.length; i++) {
    const range = pooledRange(ranges, k, Math.floor(i / k.channels), i % k.channels);
    // No values read by this set, or non-finite inputs: those are E_VALUE where the kernel reads them.
    if (!(Number.isFinite(range.min) && Number.isFinite(range.max) && range.min <= range.max)) continue;
    const s = k.scale[i];
    const o = k.offset[i];
    const shifted = Math.fround(-o / s);
    const shift = Number.isFinite(shifted) ? shifted : 0;
    const base = o + shift * s;
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of [range.min, range.max]) {
      const steps: [string, number][] = [
        ['x * scale', x * s],
        ['x * scale + offset', x * s + o],
        ['x - shift', x - shift],
        ['(x - shift) * scale + base', (x - shift) * s + base],
      ];
      for (const [what, v] of steps) if (!representable(v)) fail(what, i, v, range);
      lo = Math.min(lo, x * s + o);
      hi = Math.max(hi, x * s + o);
    }
    if (k.clip) {
      lo = Math.min(Math.max(lo, k.clip[0]), k.clip[1]);
      hi = Math.min(Math.max(hi, k.clip[0]), k.clip[1]);
    }
    if (k.post) {
      for (const y of [lo, hi]) {
        const v = y * k.post.scale + k.post.offset;
        if (!representable(y * k.post.scale) || !representable(v)) fail('the clipped value * post.scale + post.offset', i, v, range);
      }
    }
  }
}

/**
 * Checks float output data before it is written: every value finite.
 * @throws PixelprepError E_VALUE naming `name` and the first bad index.
 */
export function assertFiniteOutput(data: ArrayLike<number>, name: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new PixelprepError('E_VALUE', `Expected finite values in ${name} but received ${data[i]} at index ${i} (a scale, statistic or epsilon too extreme for float32)`);
    }
  }
}

/**
 * Checks a linear map's coefficients (a whitening: components scaled by
 * gains, and the mean subtracted first) are representable in float32, so
 * the map does not turn finite pixels into ±Infinity on its own (epsilon
 * 1e-300 with a zero eigenvalue gives a gain of 1e150).
 * @throws PixelprepError E_VALUE naming the component and its gain.
 */
export function checkFloat32Linear(components: ArrayLike<number>, gains: ArrayLike<number>, mean: ArrayLike<number>, name: string): void {
  const D = gains.length;
  for (let k = 0; k < D; k++) {
    const g = gains[k];
    if (!representable(g)) {
      throw new PixelprepError('E_VALUE', `Expected the gains of ${name} within float32 range (±${FLOAT32_MAX.toExponential(4)}) but component ${k} has gain ${g} (raise epsilon)`);
    }
  }
  // Row k of the components (one per gain) is scaled by gains[k].
  const rowLength = D === 0 ? 1 : components.length / D;
  for (let i = 0; i < components.length; i++) {
    const v = components[i] * gains[Math.floor(i / rowLength)];
    if (!representable(v)) throw new PixelprepError('E_VALUE', `Expected the matrix of ${name} within float32 range but entry ${i} is ${v} (raise epsilon)`);
  }
  for (let j = 0; j < mean.length; j++) {
    if (!representable(mean[j])) throw new PixelprepError('E_VALUE', `Expected the mean of ${name} within float32 range but mean[${j}] is ${mean[j]}`);
  }
}
