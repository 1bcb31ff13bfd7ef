/**
 * The stats file: PixelStats as versioned, human-readable JSON.
 *
 *     { "format": "pixelprep-stats", "version": 1,
 *       "channels": 3, "images": 50000, "count": 51200000,
 *       "mean": [...], "std": [...], "min": [...], "max": [...], "m2": [...],
 *       "global": { "count", "mean", "std", "min", "max" },
 *       "source": { "layout": "channels_last", "range": [0, 255], ... } }
 *
 * `count` is values per channel, `std` the population std (ddof 0), `m2` the
 * sum of squared deviations that merging needs. Numbers are written with
 * JSON's shortest round-trip form, so a save/load round trip is bit-exact.
 * Loading checks every field; structure problems are E_FORMAT, impossible
 * values E_STATS, and each message names the field.
 */
import { PixelprepError, type ErrorCode } from '../core/errors.js';
import { writeFileAtomic } from './atomic_write.js';
import { mergeAll, std as stdOf, type Moments } from '../core/moments.js';
import { statsFromMoments, type PixelStats, type StatsSource, type StatsSummary } from '../core/pixel_stats.js';
import { describe, isInteger, isNumber, isPlainObject } from '../core/validate.js';
import { readJsonFile, withPrefix } from './json_file.js';
import { checkSource } from '../dataset/stats_source.js';

export const STATS_FORMAT = 'pixelprep-stats';
/**
 * The version written. Version 2 records what the statistics were fitted
 * from in `source`: `bitDepth` (8 or 16, for integer pixels) and `digest` (a content
 * digest of the data; `parts` lists the digests a merge combined). Version 1
 * files, which have neither, are still read: their statistics load as they
 * are, and a merge cannot check them for data counted twice.
 */
export const STATS_VERSION = 2;
/** Versions read. */
export const STATS_VERSIONS_READ: readonly number[] = [1, 2];

/** The JSON form of a stats file: PixelStats with its format, version and source. */
export interface StatsFileJSON extends Omit<PixelStats, 'source'> {
  format: typeof STATS_FORMAT;
  version: typeof STATS_VERSION;
  source: StatsSource;
}

const CHANNEL_FIELDS = ['mean', 'std', 'min', 'max', 'm2'] as const;
const GLOBAL_FIELDS = ['count', 'mean', 'std', 'min', 'max'] as const;
/** Derived figures (std, global) must agree with the moments to this relative tolerance. */
const CONSISTENCY = 1e-9;

/**
 * The JSON form of `stats`, with `source` merged over `stats.source`.
 *
 * @example
 * const json = statsToJSON(stats, { resize: { width: 224, height: 224 } });
 * @throws PixelprepError E_STATS when `stats` is malformed (wrong lengths, non-finite, negative std, ...).
 */
export function statsToJSON(stats: PixelStats, source?: StatsSource): StatsFileJSON {
  const checked = readStats(stats, 'stats', 'E_STATS');
  const mergedSource = { ...(checked.source ?? {}), ...(source === undefined ? {} : checkSource(source, 'source', 'E_ARGUMENT')) };
  return {
    format: STATS_FORMAT,
    version: STATS_VERSION,
    channels: checked.channels,
    images: checked.images,
    count: checked.count,
    mean: [...checked.mean],
    std: [...checked.std],
    min: [...checked.min],
    max: [...checked.max],
    m2: [...checked.m2],
    global: { ...checked.global },
    source: mergedSource,
  };
}

/**
 * Reads the JSON form of a stats file (already parsed) back into PixelStats.
 *
 * Checks: `format` and `version`; `channels`, `images`, `count` integers;
 * `mean`, `std`, `min`, `max`, `m2` lists of `channels` finite numbers;
 * std and m2 non-negative; min ≤ mean ≤ max; std² = m2/count and the
 * `global` figures consistent with the per-channel ones; `source` well-formed.
 *
 * @throws PixelprepError E_FORMAT when it is not a version 1 or 2 pixelprep-stats
 *   object or a field is missing or of the wrong type; E_STATS when a value is
 *   impossible. Messages name the field, e.g. "std[2]".
 */
export function statsFromJSON(json: unknown): PixelStats {
  if (!isPlainObject(json) || json.format !== STATS_FORMAT) {
    const received = isPlainObject(json) ? json.format : json;
    throw new PixelprepError('E_FORMAT', `Expected a '${STATS_FORMAT}' JSON object (field format) but received ${describe(received)}`);
  }
  if (!STATS_VERSIONS_READ.includes(json.version as number)) {
    const newer = isInteger(json.version) && json.version > STATS_VERSION ? ' (written by a newer pixelprep; upgrade to read it)' : '';
    throw new PixelprepError('E_FORMAT', `Expected ${STATS_FORMAT} version ${STATS_VERSIONS_READ.join(' or ')} for version but received ${describe(json.version)}${newer}`);
  }
  return readStats(json, 'stats file', 'E_FORMAT');
}

/**
 * Writes `stats` to `path` as a stats file, atomically (temporary file, then
 * rename): readers see the old file or the new one, never half of one.
 *
 * @example
 * await saveStats('imagenet-stats.json', await fitStats(images()));
 * @throws PixelprepError E_STATS on malformed stats, E_IO when the file cannot be written.
 */
export async function saveStats(path: string, stats: PixelStats, source?: StatsSource): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new PixelprepError('E_ARGUMENT', `Expected a file path for path but received ${describe(path)}`);
  }
  const json = statsToJSON(stats, source);
  await writeFileAtomic(path, `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * Reads a stats file written by `saveStats` (or by hand, in the same format).
 *
 * @example
 * const scaler = createScaler({ method: 'standardize', stats: await loadStats('stats.json') });
 * @throws PixelprepError E_IO naming the path when it cannot be read; E_FORMAT
 *   when it is not JSON or not a version-1 stats file; E_STATS when a value is
 *   impossible. Every message starts with the path.
 */
export async function loadStats(path: string): Promise<PixelStats> {
  const json = await readJsonFile(path, 'stats file');
  return withPrefix(path, () => statsFromJSON(json));
}

/** Checks every field; `structure` is the code for missing or mistyped fields (values get E_STATS). */
function readStats(value: unknown, name: string, structure: ErrorCode): PixelStats {
  const shapeError = (field: string, expected: string, received: unknown): never => {
    throw new PixelprepError(structure, `Expected ${expected} for ${field} in the ${name} but received ${describe(received)}`);
  };
  const valueError = (field: string, expected: string, received: unknown): never => {
    throw new PixelprepError('E_STATS', `Expected ${expected} for ${field} in the ${name} but received ${describe(received)}`);
  };
  if (!isPlainObject(value)) return shapeError('the statistics', 'an object', value);

  const integerField = (field: 'channels' | 'images' | 'count', least: number): number => {
    const v = value[field];
    if (typeof v !== 'number') return shapeError(field, 'a number', v);
    if (!Number.isSafeInteger(v) || v < least) return valueError(field, least === 0 ? 'a non-negative integer' : 'a positive integer', v);
    return v;
  };
  const channels = integerField('channels', 1);
  const images = integerField('images', 0);
  const count = integerField('count', 1);

  const lists = {} as Record<(typeof CHANNEL_FIELDS)[number], number[]>;
  for (const field of CHANNEL_FIELDS) {
    const list = value[field];
    if (!Array.isArray(list)) return shapeError(field, `a list of ${channels} numbers (one per channel)`, list);
    if (list.length !== channels) valueError(field, `${channels} values (one per channel, as channels says)`, list);
    list.forEach((v, c) => {
      if (!isNumber(v)) valueError(`${field}[${c}]`, 'a finite number', v);
      if ((field === 'std' || field === 'm2') && v < 0) valueError(`${field}[${c}]`, 'a non-negative number', v);
    });
    lists[field] = list as number[];
  }
  const moments: Moments[] = lists.mean.map((mean, c) => ({ count, mean, m2: lists.m2[c], min: lists.min[c], max: lists.max[c] }));
  moments.forEach((m, c) => {
    const scale = Math.max(Math.abs(m.min), Math.abs(m.max), 1);
    const slack = 1e-12 * scale;
    if (!(m.min - slack <= m.mean && m.mean <= m.max + slack)) valueError(`min[${c}] ≤ mean[${c}] ≤ max[${c}]`, 'ordered values', [m.min, m.mean, m.max]);
    const std = stdOf(m);
    if (!agrees(lists.std[c], std, slack)) valueError(`std[${c}]`, `sqrt(m2[${c}] / count) = ${std}`, lists.std[c]);
    // Popoviciu: a variance never exceeds (max - min)² / 4.
    if (std > ((m.max - m.min) / 2) * (1 + CONSISTENCY) + slack) valueError(`std[${c}]`, `at most (max - min) / 2 = ${(m.max - m.min) / 2}`, std);
  });

  const pooled = mergeAll(moments);
  const expectedGlobal: StatsSummary = { count: pooled.count, mean: pooled.mean, std: stdOf(pooled), min: pooled.min, max: pooled.max };
  const global = value.global;
  if (!isPlainObject(global)) return shapeError('global', 'an object { count, mean, std, min, max }', global);
  const scale = Math.max(Math.abs(pooled.min), Math.abs(pooled.max), 1);
  for (const field of GLOBAL_FIELDS) {
    const v = global[field];
    if (!isNumber(v)) valueError(`global.${field}`, 'a finite number', v);
    if (!agrees(v as number, expectedGlobal[field], 1e-12 * scale)) {
      valueError(`global.${field}`, `${expectedGlobal[field]} (derived from the per-channel figures)`, v);
    }
  }

  const stats = statsFromMoments(moments, images);
  if (value.source !== undefined) stats.source = checkSource(value.source, 'source', structure === 'E_FORMAT' ? 'E_FORMAT' : 'E_STATS');
  return stats;
}

const agrees = (a: number, b: number, slack: number): boolean => Math.abs(a - b) <= CONSISTENCY * Math.max(Math.abs(a), Math.abs(b)) + slack;
