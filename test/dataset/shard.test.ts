/** parseShard and shardPaths: the contract every job of a sharded fit relies on. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatShard, parseShard, shardPaths } from '../../src/node/index.js';
import { PixelprepError } from '../../src/core/errors.js';

describe('parseShard', () => {
  it('reads "i/n" with a 0-based index', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3 / 4 ')).toEqual({ index: 3, count: 4 });
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(formatShard(parseShard('12/100'))).toBe('12/100');
  });

  it.each([
    ['4/4', /\[0, 3\]/],
    ['1/0', /positive integer/],
    ['-1/4', /index\/count/],
    ['1.5/4', /index\/count/],
    ['1/', /index\/count/],
    ['3', /index\/count/],
    ['a/b', /index\/count/],
    ['', /index\/count/],
  ])('rejects %j with E_ARGUMENT', (text, message) => {
    let error: unknown;
    try {
      parseShard(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PixelprepError);
    expect(error).toMatchObject({ code: 'E_ARGUMENT', message: expect.stringMatching(message) });
  });
});

describe('shardPaths', () => {
  it('sorts by code units, then keeps every count-th file', () => {
    const paths = ['d.png', 'B.png', 'a.png', 'c.png', 'b.png'];
    // Code-unit order puts upper case first, whatever the locale.
    expect(shardPaths(paths, { index: 0, count: 2 })).toEqual(['B.png', 'b.png', 'd.png']);
    expect(shardPaths(paths, { index: 1, count: 2 })).toEqual(['a.png', 'c.png']);
    expect(shardPaths(paths, { index: 0, count: 1 })).toEqual(['B.png', 'a.png', 'b.png', 'c.png', 'd.png']);
    expect(shardPaths(paths, { index: 6, count: 7 })).toEqual([]);
  });

  it('splits any list into disjoint shards that cover it, independent of the input order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (paths, count) => {
        const shards = Array.from({ length: count }, (_, index) => shardPaths(paths, { index, count }));
        const union = shards.flat();
        expect(union).toHaveLength(paths.length);
        expect(new Set(union)).toEqual(new Set(paths));
        const reversed = Array.from({ length: count }, (_, index) => shardPaths([...paths].reverse(), { index, count }));
        expect(reversed).toEqual(shards);
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('rejects a path listed twice, an empty path and a bad shard', () => {
    expect(() => shardPaths(['a', 'b', 'a'], { index: 0, count: 2 })).toThrow(/'a' more than once/);
    expect(() => shardPaths(['a', ''], { index: 0, count: 2 })).toThrow(/paths\[1\]/);
    expect(() => shardPaths(['a'], { index: 2, count: 2 })).toThrow(PixelprepError);
    expect(() => shardPaths('a' as never, { index: 0, count: 1 })).toThrow(/array of file paths/);
  });
});
