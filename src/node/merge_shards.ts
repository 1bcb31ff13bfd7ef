/**
 * mergeShards: the core's mergeStats plus the checks a sharded fit needs, so a
 * wrong merge fails loudly instead of giving plausible numbers.
 */
import { isDeepStrictEqual } from 'node:util';
import { PixelprepError } from '../core/errors.js';
import { mergeStats, type JsonValue, type PixelStats, type StatsSource } from '../core/pixel_stats.js';
import { addDigests, formatDigest, parseDigest } from '../dataset/content_digest.js';

/** Source fields that describe how pixels were prepared: parts must agree on them. */
const SETTINGS = ['layout', 'spatialDims', 'range', 'resize', 'list', 'bitDepth'] as const;

/**
 * Merges statistics of disjoint parts of a dataset (Chan et al.): equal to one
 * fit over all of them (to ~1e-15 relative), in any order and grouping.
 *
 * On top of `mergeStats` it checks what the parts' `source` records:
 * - the same layout, spatialDims, range and resize wherever a part records
 *   them (statistics of 224×224 crops do not merge with 256×256 ones);
 * - shards of one sharded fit: the same shard count and no shard twice (a
 *   shard merged twice would count its files twice). The result records the
 *   union of shard indices, so `source.shard.indices.length === count` means complete;
 * - the same bit depth (`bitDepth`) wherever recorded;
 * - no data twice: each part's content digest (`digest`, or the `parts` of an
 *   earlier merge) appears once, however the files are named.
 * The result's `source` keeps the settings, sums `files`, and keeps any other
 * field on which every part agrees.
 *
 * @example
 * const all = mergeShards(...(await Promise.all(files.map(loadStats))));
 * @throws PixelprepError E_ARGUMENT with no parts; E_STATS when channel counts,
 *   settings or shard counts differ, or a shard or a part's data appears twice.
 */
export function mergeShards(...parts: PixelStats[]): PixelStats {
  if (parts.length === 0) throw new PixelprepError('E_ARGUMENT', 'Expected at least one PixelStats to merge but received none');
  const sources = parts.map((p) => p?.source ?? {});
  const source: Record<string, JsonValue> = {};
  for (const key of SETTINGS) {
    const value = agreedSetting(sources, key);
    if (value !== undefined) source[key] = structuredClone(value);
  }
  const shard = mergeShardRecords(sources);
  if (shard) source.shard = shard;
  const identity = mergeDigests(sources);
  if (identity) Object.assign(source, identity);
  if (sources.every((s) => s.files !== undefined)) source.files = sources.reduce((sum, s) => sum + (s.files ?? 0), 0);
  const others = new Set(sources.flatMap((s) => Object.keys(s)).filter((k) => !(SETTINGS as readonly string[]).includes(k) && !['shard', 'files', 'digest', 'parts'].includes(k)));
  for (const key of others) {
    const first = sources[0][key];
    if (first !== undefined && sources.every((s) => isDeepStrictEqual(s[key], first))) source[key] = structuredClone(first);
  }
  return { ...mergeStats(...parts), source: source as StatsSource };
}

/** The setting every part that records it agrees on, or an E_STATS error naming the two parts that differ. */
function agreedSetting(sources: readonly StatsSource[], key: (typeof SETTINGS)[number]): JsonValue | undefined {
  let first: { index: number; value: JsonValue } | null = null;
  for (let index = 0; index < sources.length; index++) {
    const value = sources[index][key];
    if (value === undefined) continue;
    if (first === null) first = { index, value };
    else if (!isDeepStrictEqual(first.value, value)) {
      throw new PixelprepError(
        'E_STATS',
        `Expected every part to be fitted with the same ${key} but part ${first.index} has ${JSON.stringify(first.value)} and part ${index} has ${JSON.stringify(value)}`,
      );
    }
  }
  return first?.value;
}

/**
 * The content digests of the data each part counted: a part's `parts` (the
 * fits a merge combined) or its own `digest`. The same digest in two parts
 * is the same data counted twice, whatever the files are called: E_STATS.
 * The result records every digest and their sum; when a part records none (a
 * version 1 stats file) nothing can be checked and the result records none.
 */
function mergeDigests(sources: readonly StatsSource[]): { digest: string; parts: string[] } | undefined {
  const owner = new Map<string, number>();
  for (let index = 0; index < sources.length; index++) {
    const { digest, parts } = sources[index];
    const leaves = Array.isArray(parts) ? (parts as string[]) : typeof digest === 'string' ? [digest] : null;
    if (leaves === null) return undefined;
    for (const leaf of leaves) {
      const previous = owner.get(leaf);
      if (previous !== undefined) {
        throw new PixelprepError(
          'E_STATS',
          `Expected parts fitted from different data but part ${previous} and part ${index} both hold the data of digest ${leaf}; merging them would count it twice (a shard merged twice, under two names?)`,
        );
      }
      owner.set(leaf, index);
    }
  }
  const leaves = [...owner.keys()].sort();
  const sum = addDigests(...leaves.map((leaf) => parseDigest(leaf) ?? ([0, 0] as const)));
  return { digest: formatDigest(sum), parts: leaves };
}

function mergeShardRecords(sources: readonly StatsSource[]): StatsSource['shard'] | undefined {
  const withShard = sources.map((s, index) => ({ index, shard: s.shard })).filter((x) => x.shard !== undefined);
  if (withShard.length === 0) return undefined;
  if (withShard.length !== sources.length) {
    const missing = sources.findIndex((s) => s.shard === undefined);
    throw new PixelprepError('E_STATS', `Expected every part to record its shard (as part ${withShard[0].index} does) but part ${missing} records none; merge shards of one sharded fit together`);
  }
  const count = withShard[0].shard?.count ?? 0;
  const owner = new Map<number, number>();
  for (const { index, shard } of withShard) {
    if (shard?.count !== count) {
      throw new PixelprepError('E_STATS', `Expected every part to come from a fit of ${count} shards but part ${index} comes from one of ${shard?.count}`);
    }
    for (const i of shard.indices) {
      const previous = owner.get(i);
      if (previous !== undefined) {
        throw new PixelprepError('E_STATS', `Expected each shard once but shard ${i}/${count} is in part ${previous} and part ${index}; merging it twice would count its files twice`);
      }
      owner.set(i, index);
    }
  }
  return { count, indices: [...owner.keys()].sort((a, b) => a - b) };
}
