/**
 * Float64 moments of one channel: count, mean, M2 (sum of squared deviations),
 * min and max. Two sets merge exactly with the parallel formula of Chan et al.,
 * so an image, a batch and a sharded dataset share one code path.
 */
export interface Moments {
  count: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

export const emptyMoments = (): Moments => ({ count: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity });

/** Chan et al. (1979): combines two disjoint sets of moments. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.count === 0) return { ...b };
  if (b.count === 0) return { ...a };
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  return {
    count,
    mean: a.mean + (delta * b.count) / count,
    m2: a.m2 + b.m2 + ((delta * delta * a.count) / count) * b.count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

/** Merges `b` into `a` in place (the hot-loop form of mergeMoments). */
export function mergeInto(a: Moments, count: number, mean: number, m2: number, min: number, max: number): void {
  if (count === 0) return;
  if (a.count === 0) {
    a.count = count;
    a.mean = mean;
    a.m2 = m2;
  } else {
    const total = a.count + count;
    const delta = mean - a.mean;
    a.mean += (delta * count) / total;
    a.m2 += m2 + ((delta * delta * a.count) / total) * count;
    a.count = total;
  }
  if (min < a.min) a.min = min;
  if (max > a.max) a.max = max;
}

export const mergeAll = (list: readonly Moments[]): Moments => list.reduce(mergeMoments, emptyMoments());

/** Population variance (ddof 0), 0 for an empty set. */
export const variance = (m: Moments): number => (m.count > 0 ? Math.max(m.m2, 0) / m.count : 0);

/** Population standard deviation (ddof 0). */
export const std = (m: Moments): number => Math.sqrt(variance(m));
