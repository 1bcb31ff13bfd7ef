import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBatches, type LoadedBatch } from '../../src/node/index.js';

let dir = '';
const COUNT = 10;
/** Image i is a flat colour, so every pixel's value is known whatever the resize does. */
const colour = (i: number) => [i * 20, 100 + i * 5, 255 - i * 20];
const name = (i: number) => `img-${String(i).padStart(2, '0')}.png`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-batches-'));
  for (let i = 0; i < COUNT; i++) {
    const [r, g, b] = colour(i);
    // Sizes differ on purpose: only resize makes the batch rectangular.
    await sharp({ create: { width: 10 + i, height: 7 + 2 * i, channels: 3, background: { r, g, b } } })
      .png()
      .toFile(join(dir, name(i)));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const collect = async (iterable: AsyncIterable<LoadedBatch>) => {
  const out: LoadedBatch[] = [];
  for await (const b of iterable) out.push(b);
  return out;
};

describe('loadBatches', () => {
  it('yields [N, H, W, C] batches in file order with every pixel of image i equal to its colour', async () => {
    const batches = await collect(loadBatches(dir, { batchSize: 4, resize: { width: 6, height: 5 }, concurrency: 3 }));
    expect(batches.map((b) => b.batch.shape)).toEqual([
      [4, 5, 6, 3],
      [4, 5, 6, 3],
      [2, 5, 6, 3],
    ]);
    expect(batches.flatMap((b) => b.paths)).toEqual(Array.from({ length: COUNT }, (_, i) => join(dir, name(i))));
    batches.forEach(({ batch }, k) => {
      const perImage = 5 * 6 * 3;
      for (let n = 0; n < batch.shape[0]; n++) {
        const expected = colour(k * 4 + n);
        for (let p = 0; p < perImage; p++) {
          if (batch.data[n * perImage + p] !== expected[p % 3]) throw new Error(`batch ${k} image ${n} value ${p}: ${batch.data[n * perImage + p]}`);
        }
      }
    });
  });

  it('drops a short last batch on request', async () => {
    const batches = await collect(loadBatches([dir], { batchSize: 4, resize: { width: 2, height: 2 }, dropRemainder: true }));
    expect(batches.map((b) => b.batch.shape[0])).toEqual([4, 4]);
  });

  it('names both files when shapes differ without resize', async () => {
    await expect(collect(loadBatches(dir, { batchSize: 3 }))).rejects.toMatchObject({
      code: 'E_SHAPE',
      message: expect.stringMatching(/img-01\.png to decode to \[7,10,3\] uint8 like .*img-00\.png.*resize.*received \[9,11,3\]/),
    });
  });

  it('decodes no further ahead than its window: files removed after the first batch fail only when reached', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'pixelprep-window-'));
    try {
      for (let i = 0; i < 6; i++) await sharp(join(dir, name(i))).toFile(join(copy, name(i)));
      const iterator = loadBatches(copy, { batchSize: 2, concurrency: 2, resize: { width: 3, height: 3 } })[Symbol.asyncIterator]();
      expect((await iterator.next()).value?.paths).toHaveLength(2);
      // In flight now: image 2 at most. Images 4 and 5 are gone before anything asked for them.
      await unlink(join(copy, name(4)));
      await unlink(join(copy, name(5)));
      expect((await iterator.next()).value?.paths).toEqual([join(copy, name(2)), join(copy, name(3))]);
      await expect(iterator.next()).rejects.toMatchObject({ code: 'E_IO', message: expect.stringContaining(name(4)) });
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('stops with E_ABORTED when the signal fires', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = async () => {
      for await (const { batch } of loadBatches(dir, { batchSize: 2, resize: { width: 2, height: 2 }, signal: controller.signal })) {
        seen.push(batch.shape[0]);
        controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(seen).toEqual([2]);
  });

  it('rejects bad options before reading files', async () => {
    await expect(collect(loadBatches(dir, { batchSize: 0 }))).rejects.toMatchObject({ code: 'E_ARGUMENT', message: expect.stringContaining('batchSize') });
    await expect(collect(loadBatches(dir, { batchSize: 2, concurrency: 1.5 }))).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(collect(loadBatches(dir, { batchSize: 2, chanels: 3 } as never))).rejects.toMatchObject({ code: 'E_ARGUMENT', message: expect.stringContaining('chanels') });
  });
});
