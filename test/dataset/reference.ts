/**
 * Independent references for the dataset specs: a seeded generator and
 * two-pass float64 statistics over plain loops. Nothing here imports src/.
 */

/** Mulberry32: a small seeded generator of floats in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(length: number, seed: number): Uint8Array {
  const next = seeded(seed);
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

export interface RefStats {
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

/**
 * Corrected two-pass float64 statistics (Björck): mean, then the mean of the
 * deviations as a correction, then the sum of squared deviations.
 */
export function twoPass(values: ArrayLike<number>): RefStats {
  const n = values.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let mean = sum / n;
  let correction = 0;
  for (let i = 0; i < n; i++) correction += values[i] - mean;
  mean += correction / n;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    m2 += d * d;
  }
  return { count: n, mean, std: Math.sqrt(m2 / n), min, max };
}

/** Values of channel c from interleaved (channels_last) data with C channels. */
export function channelOf(data: ArrayLike<number>, C: number, c: number): Float64Array {
  const out = new Float64Array(data.length / C);
  for (let i = 0; i < out.length; i++) out[i] = data[i * C + c];
  return out;
}

/** Concatenates typed arrays into one Float64Array. */
export function concat(parts: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) out[at + i] = p[i];
    at += p.length;
  }
  return out;
}

/** |a - b| ≤ relative · max(|b|, 1). */
export function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1);
}
