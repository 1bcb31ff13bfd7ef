/**
 * An independent float64 reference for every scaling method: explicit index
 * arithmetic and two-pass mean/variance over plain arrays. It shares no code
 * with src/ so that a bug there cannot hide here.
 */
export type RefMethod = 'normalize' | 'center' | 'standardize' | 'positive-standardize' | 'min-max';

export interface RefCase {
  data: ArrayLike<number>;
  /** [N, H, W, C] (channels_last) or [N, C, H, W] (channels_first). */
  shape: number[];
  layout: 'channels_last' | 'channels_first';
  method: RefMethod;
  per: 'channel' | 'global';
  scope: 'image' | 'batch';
  epsilon?: number;
}

/** Flat index of value (n, c, p) with p the pixel index inside one channel plane. */
export function indexOf(shape: number[], layout: RefCase['layout'], n: number, c: number, p: number): number {
  if (layout === 'channels_last') {
    const C = shape[shape.length - 1];
    const P = shape.slice(1, -1).reduce((a, b) => a * b, 1);
    return (n * P + p) * C + c;
  }
  const C = shape[1];
  const P = shape.slice(2).reduce((a, b) => a * b, 1);
  return (n * C + c) * P + p;
}

export interface RefGroup {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Two-pass float64 statistics of a list of numbers. */
export function refStats(values: number[]): RefGroup {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(ss / values.length), min, max };
}

/** The expected float64 output of a method, value by value. */
export function reference(rc: RefCase): Float64Array {
  const { shape, layout, data } = rc;
  const N = shape[0];
  const C = layout === 'channels_last' ? shape[shape.length - 1] : shape[1];
  const P = data.length / (N * C);
  const eps = rc.epsilon ?? 1e-7;
  const out = new Float64Array(data.length);
  const images = rc.scope === 'image' ? Array.from({ length: N }, (_, n) => [n]) : [Array.from({ length: N }, (_, n) => n)];
  const channelGroups = rc.per === 'channel' ? Array.from({ length: C }, (_, c) => [c]) : [Array.from({ length: C }, (_, c) => c)];
  for (const ns of images) {
    for (const cs of channelGroups) {
      const idx: number[] = [];
      for (const n of ns) for (const c of cs) for (let p = 0; p < P; p++) idx.push(indexOf(shape, layout, n, c, p));
      const g = refStats(idx.map((i) => data[i]));
      for (const i of idx) out[i] = applyMethod(rc.method, data[i], g, eps);
    }
  }
  return out;
}

export function applyMethod(method: RefMethod, x: number, g: RefGroup, eps: number): number {
  switch (method) {
    case 'normalize':
      return x / 255;
    case 'center':
      return x - g.mean;
    case 'standardize':
      return (x - g.mean) / Math.max(g.std, eps);
    case 'positive-standardize':
      return Math.min(1, Math.max(-1, (x - g.mean) / Math.max(g.std, eps))) * 0.5 + 0.5;
    case 'min-max':
      return (x - g.min) / Math.max(g.max - g.min, eps);
  }
}

/** Largest |a - b| / max(1, |b|): absolute on [0,1]-scale values, relative on pixel-scale ones. */
export function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}

/** Deterministic pseudo-random integers in [0, 256) (mulberry32). */
export function randomBytes(length: number, seed = 1): Uint8Array {
  let a = seed >>> 0;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) % 256;
  }
  return out;
}
