/**
 * Sharding a list of files across jobs: every job sorts the same list the same
 * way and keeps every count-th file, so the shards are disjoint, cover the
 * list, and need no coordination (a Kubernetes Indexed Job or a Slurm array
 * passes the index; one merge combines the results).
 */
import { PixelprepError } from '../core/errors.js';
import { describe, fail, isInteger, isPlainObject } from '../core/validate.js';

/** One shard of a sharded job: `index` in [0, count). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Parses "i/n" (0-based index i of n shards), e.g. "0/4" … "3/4".
 * Spaces around the numbers are allowed.
 *
 * @example
 * parseShard(`${process.env.JOB_COMPLETION_INDEX}/8`); // { index: 3, count: 8 }
 * @throws PixelprepError E_ARGUMENT when the text is not "i/n" with integers 0 ≤ i < n.
 */
export function parseShard(text: string): Shard {
  if (typeof text !== 'string') fail('E_ARGUMENT', 'shard', "a string 'index/count' such as '0/4'", text);
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) fail('E_ARGUMENT', 'shard', "text 'index/count' with a 0-based index (e.g. '0/4', the first of 4 shards)", text);
  return checkShard({ index: Number(match[1]), count: Number(match[2]) });
}

/** "i/n", the inverse of parseShard. */
export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`;

/**
 * Checks a shard `{ index, count }`.
 * @throws PixelprepError E_ARGUMENT unless index and count are integers with 0 ≤ index < count.
 */
export function checkShard(shard: unknown, name = 'shard'): Shard {
  if (!isPlainObject(shard)) return fail('E_ARGUMENT', name, 'an object { index, count }', shard);
  const { index, count } = shard;
  if (!isInteger(count) || count < 1 || !Number.isSafeInteger(count)) fail('E_ARGUMENT', `${name}.count`, 'a positive integer number of shards', count);
  if (!isInteger(index) || index < 0 || index >= count) {
    throw new PixelprepError('E_ARGUMENT', `Expected ${name}.index to be an integer in [0, ${count - 1}] (0-based, ${count} shards) but received ${describe(index)}`);
  }
  return { index, count };
}

/**
 * Sorts `paths` (by UTF-16 code units, the same on every machine and locale)
 * and returns the shard's part: the files at sorted positions i with
 * i % count === index. Shards 0..count-1 are disjoint and together hold every path.
 *
 * @example
 * shardPaths(['c.png', 'a.png', 'b.png', 'd.png'], { index: 1, count: 2 }); // ['b.png', 'd.png']
 * @throws PixelprepError E_ARGUMENT on a bad shard, a path that is not a non-empty
 *   string, or a path listed twice (it would be counted twice).
 */
export function shardPaths(paths: readonly string[], shard: Shard): string[] {
  const { index, count } = checkShard(shard);
  return sortedUniquePaths(paths).filter((_, i) => i % count === index);
}

/**
 * The paths sorted by code units, checked to be non-empty strings listed once.
 * @throws PixelprepError E_ARGUMENT naming the first bad or repeated path.
 */
export function sortedUniquePaths(paths: readonly string[], name = 'paths'): string[] {
  if (!Array.isArray(paths)) fail('E_ARGUMENT', name, 'an array of file paths', paths);
  paths.forEach((p, i) => {
    if (typeof p !== 'string' || p.length === 0) fail('E_ARGUMENT', `${name}[${i}]`, 'a non-empty file path', p);
  });
  const sorted = [...paths].sort(compareCodeUnits);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new PixelprepError('E_ARGUMENT', `Expected every path once in ${name} but received '${sorted[i]}' more than once (it would be counted twice)`);
    }
  }
  return sorted;
}

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
