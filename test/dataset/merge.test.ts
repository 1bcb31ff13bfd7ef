/** Shard-and-merge: merged partial statistics equal one pass, in any order and grouping. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitFiles, mergeShards } from '../../src/node/index.js';
import { fitStats } from '../../src/index.js';
import type { RawBatch } from '../../src/core/input.js';
import { mergeStats, type PixelStats } from '../../src/core/pixel_stats.js';
import { randomBytes, seeded } from './reference.js';

/** Relative agreement to `tolerance`, scaled by the larger magnitude (and at least 1 for means near 0). */
function expectSameStats(actual: PixelStats, expected: PixelStats, tolerance = 1e-12) {
  expect(actual.channels).toBe(expected.channels);
  expect(actual.images).toBe(expected.images);
  expect(actual.count).toBe(expected.count);
  for (let c = 0; c < expected.channels; c++) {
    const scale = Math.max(Math.abs(expected.max[c]), Math.abs(expected.min[c]), 1);
    expect(Math.abs(actual.mean[c] - expected.mean[c])).toBeLessThanOrEqual(tolerance * scale);
    expect(Math.abs(actual.m2[c] - expected.m2[c])).toBeLessThanOrEqual(tolerance * Math.max(expected.m2[c], 1));
    expect(Math.abs(actual.std[c] - expected.std[c])).toBeLessThanOrEqual(tolerance * Math.max(expected.std[c], 1));
    expect(actual.min[c]).toBe(expected.min[c]);
    expect(actual.max[c]).toBe(expected.max[c]);
  }
  expect(Math.abs(actual.global.mean - expected.global.mean)).toBeLessThanOrEqual(tolerance * Math.max(Math.abs(expected.global.max), 1));
  expect(Math.abs(actual.global.std - expected.global.std)).toBeLessThanOrEqual(tolerance * Math.max(expected.global.std, 1));
}

function image(kind: 'uint8' | 'float64', h: number, w: number, seed: number): RawBatch {
  const bytes = randomBytes(h * w * 3, seed);
  if (kind === 'uint8') return { data: bytes, shape: [h, w, 3] };
  const next = seeded(seed ^ 0x5bd1e995);
  return { data: Float64Array.from(bytes, (v) => 1e6 + v + next()), shape: [h, w, 3] };
}

/** Merges `parts` following `picks`: each pick chooses which adjacent pair to merge next. */
function mergeInGroups(parts: PixelStats[], picks: readonly number[]): PixelStats {
  const list = [...parts];
  let k = 0;
  while (list.length > 1) {
    const i = (picks[k++ % Math.max(picks.length, 1)] ?? 0) % (list.length - 1);
    list.splice(i, 2, mergeStats(list[i], list[i + 1]));
  }
  return list[0];
}

describe('merging shard statistics', () => {
  it('equals the single fit to 1e-12 relative in any order and grouping (property)', async () => {
    const imageArb = fc.record({
      kind: fc.constantFrom('uint8' as const, 'float64' as const),
      h: fc.integer({ min: 1, max: 9 }),
      w: fc.integer({ min: 1, max: 9 }),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(imageArb, { minLength: 2, maxLength: 14 }),
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.nat(), { minLength: 14, maxLength: 14 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        async (specs, shardCount, assignment, picks) => {
          const images = specs.map((s) => image(s.kind, s.h, s.w, s.seed));
          const single = await fitStats(images);
          const groups = Array.from({ length: shardCount }, () => [] as RawBatch[]);
          images.forEach((x, i) => groups[assignment[i] % shardCount].push(x));
          const parts = await Promise.all(groups.filter((g) => g.length > 0).map((g) => fitStats(g)));
          // Two parts of identical data are the same data counted twice: mergeShards refuses them (tested below).
          fc.pre(new Set(parts.map((p) => p.source?.digest)).size === parts.length);
          const order = fc.sample(fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }), { numRuns: 1, seed: picks[0] })[0];
          expectSameStats(mergeInGroups(order, picks), single);
          expectSameStats(mergeShards(...order), single);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a 4-shard fitFiles merged equals the single fitFiles to 1e-12 and records every shard', async () => {
    const files = new Map(Array.from({ length: 40 }, (_, i) => [`img-${String(i).padStart(3, '0')}.png`, image(i % 3 === 0 ? 'float64' : 'uint8', 8 + (i % 5), 6 + (i % 4), 500 + i)]));
    const paths = [...files.keys()].reverse();
    const decode = async (path: string) => files.get(path) as RawBatch;
    const single = await fitFiles(paths, { decode });
    const shards = await Promise.all([0, 1, 2, 3].map((index) => fitFiles(paths, { decode, shard: { index, count: 4 } })));
    expect(shards.map((s) => s.images)).toEqual([10, 10, 10, 10]);
    expect(shards[2].source?.shard).toEqual({ count: 4, indices: [2] });
    const merged = mergeShards(shards[3], shards[1], shards[0], shards[2]);
    expectSameStats(merged, single);
    expect(merged.source).toEqual({
      layout: 'channels_last',
      spatialDims: 2,
      shard: { count: 4, indices: [0, 1, 2, 3] },
      files: 40,
      list: { files: 40, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      bitDepth: 8,
      digest: single.source?.digest,
      parts: shards.map((s) => s.source?.digest).sort(),
    });
    // The digest is a sum over the inputs: the merge of the shards has the single fit's digest.
    expect(single.source?.digest).toMatch(/^[0-9a-f]{16}$/);
    const twoByTwo = mergeShards(mergeShards(shards[0], shards[3]), mergeShards(shards[2], shards[1]));
    expectSameStats(twoByTwo, single);
    expect(twoByTwo.source?.shard).toEqual({ count: 4, indices: [0, 1, 2, 3] });
  });
});

describe('mergeShards checks', () => {
  const base = (source: PixelStats['source']): PixelStats => ({
    channels: 1,
    images: 1,
    count: 2,
    mean: [1],
    std: [1],
    min: [0],
    max: [2],
    m2: [2],
    global: { count: 2, mean: 1, std: 1, min: 0, max: 2 },
    source,
  });

  it('refuses parts fitted with different settings, naming the setting and the parts', () => {
    expect(() => mergeShards(base({ layout: 'channels_last' }), base({ layout: 'channels_first' }))).toThrow(/same layout but part 0 .* part 1/);
    expect(() => mergeShards(base({ resize: { width: 224 } }), base({}), base({ resize: { width: 256 } }))).toThrow(/same resize.*part 2/);
    expect(() => mergeShards(base({ range: [0, 255] }), base({ range: [0, 1] }))).toThrow(expect.objectContaining({ code: 'E_STATS' }));
  });

  it('refuses a shard merged twice, shards of different counts, and shards mixed with unsharded parts', () => {
    const shard = (i: number, count = 4) => base({ shard: { count, indices: [i] } });
    expect(() => mergeShards(shard(0), shard(1), shard(1))).toThrow(/shard 1\/4 is in part 1 and part 2/);
    expect(() => mergeShards(mergeShards(shard(0), shard(1)), shard(1))).toThrow(/shard 1\/4/);
    expect(() => mergeShards(shard(0), shard(1, 3))).toThrow(/fit of 4 shards but part 1 comes from one of 3/);
    expect(() => mergeShards(shard(0), base({}))).toThrow(/part 1 records none/);
  });

  it('keeps fields every part agrees on, sums files, and needs at least one part of equal channels', () => {
    const merged = mergeShards(base({ files: 2, note: 'run 7', tool: 'a' }), base({ files: 3, note: 'run 7', tool: 'b' }));
    expect(merged.source).toEqual({ files: 5, note: 'run 7' });
    expect(merged.images).toBe(2);
    expect(() => mergeShards()).toThrow(expect.objectContaining({ code: 'E_ARGUMENT' }));
    const rgb = { ...base({}), channels: 3, mean: [1, 1, 1], std: [1, 1, 1], min: [0, 0, 0], max: [2, 2, 2], m2: [2, 2, 2] };
    expect(() => mergeShards(base({}), rgb)).toThrow(expect.objectContaining({ code: 'E_STATS' }));
  });
});
