/**
 * PixelStats: float64 statistics per channel plus the global figures derived
 * from them exactly. `m2` (sum of squared deviations) is kept so that stats
 * from shards merge to the single-pass result.
 */
import { PixelprepError } from './errors.js';
import type { Layout, SpatialDims } from './layout.js';
import { describe, isInteger, isNumber, isPlainObject } from './validate.js';
import { mergeAll, mergeMoments, std as stdOf, type Moments } from './moments.js';

export interface StatsSummary {
  /** Values counted (per channel, or over all channels for `global`). */
  count: number;
  mean: number;
  /** Population standard deviation (ddof 0), as numpy's default. */
  std: number;
  min: number;
  max: number;
}

/** Any value JSON can hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * What produced a set of statistics, as recorded in a stats file. Every field
 * is optional; unknown fields are kept, so a newer writer's notes survive an older reader.
 */
export interface StatsSource {
  /** Memory layout of the data that was fitted. */
  layout?: Layout;
  /** 2 for images, 3 for volumes. */
  spatialDims?: SpatialDims;
  /** Declared value range of the fitted pixels, e.g. [0, 255]. */
  range?: [number, number];
  /** Resize applied before fitting, as the tool that decoded the images describes it (e.g. { width: 224, height: 224 }). */
  resize?: { [key: string]: JsonValue };
  /** Which shards of a sharded fit these statistics cover: `indices` of `count`. */
  shard?: { count: number; indices: number[] };
  /** Files that contributed. */
  files?: number;
  /** For a sharded fit: the whole sorted file list the shards were cut from (count and SHA-256). */
  list?: { files: number; sha256: string };
  [key: string]: JsonValue | undefined;
}

export interface PixelStats {
  /** Number of channels the statistics describe (1 for global statistics). */
  channels: number;
  /** Images that contributed. */
  images: number;
  /** Values per channel. */
  count: number;
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
  /** Sum of squared deviations from the mean, per channel (what merging needs). */
  m2: number[];
  /** The same figures over all channels pooled. */
  global: StatsSummary;
  /** What produced the statistics (layout, value range, resize, shard), when known. */
  source?: StatsSource;
}

/** Builds PixelStats from one Moments per channel. */
export function statsFromMoments(perChannel: readonly Moments[], images: number): PixelStats {
  const all = mergeAll(perChannel);
  return {
    channels: perChannel.length,
    images,
    count: perChannel[0]?.count ?? 0,
    mean: perChannel.map((m) => m.mean),
    std: perChannel.map(stdOf),
    min: perChannel.map((m) => m.min),
    max: perChannel.map((m) => m.max),
    m2: perChannel.map((m) => m.m2),
    global: { count: all.count, mean: all.mean, std: stdOf(all), min: all.min, max: all.max },
  };
}

/** The per-channel moments inside PixelStats (the inverse of statsFromMoments). */
export const momentsOfStats = (s: PixelStats): Moments[] =>
  s.mean.map((mean, c) => ({ count: s.count, mean, m2: s.m2[c], min: s.min[c], max: s.max[c] }));

/** Pools every channel into one: the statistics `per: 'global'` uses. */
export const globalStats = (s: PixelStats): PixelStats =>
  s.channels === 1 ? s : statsFromMoments([mergeAll(momentsOfStats(s))], s.images);

/**
 * Merges statistics of disjoint sets of images (Chan et al.), e.g. shards of
 * a dataset fitted on separate machines. Equal to one pass over all of them.
 */
export function mergeStats(...parts: PixelStats[]): PixelStats {
  if (parts.length === 0) throw new PixelprepError('E_ARGUMENT', 'Expected at least one PixelStats to merge but received none');
  const channels = parts[0].channels;
  parts.forEach((p, i) => {
    if (p.channels !== channels) {
      throw new PixelprepError('E_STATS', `Expected statistics with ${channels} channels for part ${i} but received ${p.channels}`);
    }
  });
  const moments = parts.map(momentsOfStats);
  const merged = moments[0].map((_, c) => moments.map((m) => m[c]).reduce(mergeMoments));
  return statsFromMoments(merged, parts.reduce((sum, p) => sum + p.images, 0));
}

const FIELDS = ['mean', 'std', 'min', 'max', 'm2'] as const;

/**
 * Checks that `value` is well-formed PixelStats: every list of `channels`
 * finite numbers, std and m2 non-negative, min ≤ mean ≤ max.
 */
export function validateStats(value: unknown, name = 'stats'): PixelStats {
  const bad = (what: string, received: unknown): never => {
    throw new PixelprepError('E_STATS', `Expected ${what} for ${name} but received ${describe(received)}`);
  };
  if (!isPlainObject(value)) return bad('a PixelStats object', value);
  const { channels, images, count } = value;
  if (!isInteger(channels) || (channels as number) < 1) bad('a positive integer channels', channels);
  if (!isInteger(images) || (images as number) < 0) bad('a non-negative integer images', images);
  if (!isNumber(count) || (count as number) < 1) bad('a positive count (values per channel)', count);
  for (const field of FIELDS) {
    const list = value[field];
    if (!Array.isArray(list) || list.length !== channels) bad(`${field} to be a list of ${channels} numbers (one per channel)`, list);
    (list as unknown[]).forEach((v, c) => {
      if (!isNumber(v)) bad(`a finite number at ${field}[${c}]`, v);
      if ((field === 'std' || field === 'm2') && (v as number) < 0) bad(`a non-negative ${field}[${c}]`, v);
    });
  }
  // Every field was checked above: read them as the numbers they are.
  const list = (field: (typeof FIELDS)[number]) => value[field] as number[];
  const [means, mins, maxs, m2s] = [list('mean'), list('min'), list('max'), list('m2')];
  means.forEach((mean, c) => {
    // The tolerance absorbs the last-bit rounding of a mean equal to min or max.
    const tolerance = 1e-12 * Math.max(Math.abs(mins[c]), Math.abs(maxs[c]), 1);
    if (!(mins[c] - tolerance <= mean && mean <= maxs[c] + tolerance)) bad(`min[${c}] ≤ mean[${c}] ≤ max[${c}]`, [mins[c], mean, maxs[c]]);
  });
  const moments = means.map((mean, c) => ({ count: count as number, mean, m2: m2s[c], min: mins[c], max: maxs[c] }));
  return statsFromMoments(moments, images as number);
}
