// An independent float64 reference for every scaling method, for plain Node
// (the kit runs without a test framework): explicit index arithmetic and
// two-pass mean/variance. It shares no code with dist/, so a bug there cannot
// hide here. The same idea as test/core/reference.ts.

/** Flat index of value (n, c, p), p the pixel index inside one channel plane. */
export function indexOf(shape, layout, n, c, p) {
  if (layout === 'channels_last') {
    const C = shape[shape.length - 1];
    const P = shape.slice(1, -1).reduce((a, b) => a * b, 1);
    return (n * P + p) * C + c;
  }
  const C = shape[1];
  const P = shape.slice(2).reduce((a, b) => a * b, 1);
  return (n * C + c) * P + p;
}

/** Two-pass float64 mean, population std, min and max of the values at `indices`. */
export function groupStats(data, indices) {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const i of indices) {
    const v = data[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / indices.length;
  let ss = 0;
  for (const i of indices) ss += (data[i] - mean) ** 2;
  return { mean, std: Math.sqrt(ss / indices.length), min, max };
}

function applyMethod(method, x, g, eps) {
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
    default:
      throw new Error(`unknown method ${method}`);
  }
}

/**
 * The expected float64 output of `method` on `data` shaped [N, H, W, C]
 * (channels_last) or [N, C, H, W] (channels_first), statistics per channel or
 * global, per image or over the batch; epsilon 1e-7 as Keras.
 */
export function reference({ data, shape, layout, method, per, scope, epsilon = 1e-7 }) {
  const N = shape[0];
  const C = layout === 'channels_last' ? shape[shape.length - 1] : shape[1];
  const P = data.length / (N * C);
  const out = new Float64Array(data.length);
  const imageGroups = scope === 'image' ? Array.from({ length: N }, (_, n) => [n]) : [Array.from({ length: N }, (_, n) => n)];
  const channelGroups = per === 'channel' ? Array.from({ length: C }, (_, c) => [c]) : [Array.from({ length: C }, (_, c) => c)];
  for (const ns of imageGroups) {
    for (const cs of channelGroups) {
      const indices = new Uint32Array(ns.length * cs.length * P);
      let k = 0;
      for (const n of ns) for (const c of cs) for (let p = 0; p < P; p++) indices[k++] = indexOf(shape, layout, n, c, p);
      const g = groupStats(data, indices);
      for (const i of indices) out[i] = applyMethod(method, data[i], g, epsilon);
    }
  }
  return out;
}

/** Largest |a - b| / max(1, |b|): absolute on [0,1]-scale values, relative on pixel-scale ones; NaN counts as Infinity. */
export function maxError(actual, expected) {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}

/** Deterministic pseudo-random bytes (mulberry32). */
export function randomBytes(length, seed = 1) {
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
