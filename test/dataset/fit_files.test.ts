/** fitFiles: sharding, ordering, checkpoints that resume without counting a file twice. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitFiles, mergeShards, type FileFitProgress } from '../../src/node/index.js';
import { fitStats } from '../../src/index.js';
import type { PixelInput, RawBatch } from '../../src/core/input.js';
import { randomBytes, seeded } from './reference.js';

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-fit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = new Map<string, RawBatch>(
  Array.from({ length: 30 }, (_, i) => [`/data/img-${String(i).padStart(2, '0')}.png`, { data: randomBytes(5 * 7 * 3, 900 + i), shape: [5, 7, 3] }]),
);
/** The files in a shuffled order: fitFiles must not depend on it. */
const paths = shuffled([...files.keys()], 42);

function shuffled<T>(list: T[], seed: number): T[] {
  const next = seeded(seed);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/** A decoder that records every call and can be slowed down. */
function recordingDecoder(delay = 0) {
  const calls: string[] = [];
  const decode = async (path: string): Promise<PixelInput> => {
    calls.push(path);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    const x = files.get(path);
    if (!x) throw new Error(`ENOENT: no such file, open '${path}'`);
    return x;
  };
  return { decode, calls };
}

describe('fitFiles', () => {
  it('equals fitStats over the decoded files in sorted order, whatever the concurrency', async () => {
    const sorted = [...files.keys()].sort();
    const reference = await fitStats(sorted.map((p) => files.get(p) as RawBatch));
    const one = await fitFiles(paths, { decode: recordingDecoder().decode, concurrency: 1 });
    const eight = await fitFiles(paths, { decode: recordingDecoder(1).decode, concurrency: 8 });
    expect(one.mean).toEqual(reference.mean);
    expect(one.m2).toEqual(reference.m2);
    expect(eight).toEqual(one);
    expect(one.source).toEqual({ layout: 'channels_last', spatialDims: 2, files: 30, bitDepth: 8, digest: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it('reports file progress and disposes tensors its decoder returns', async () => {
    const seen: FileFitProgress[] = [];
    const before = tf.memory().numTensors;
    const decode = async (path: string) => {
      const x = files.get(path) as RawBatch;
      return tf.tensor(Int32Array.from(x.data), x.shape as number[], 'int32');
    };
    const stats = await fitFiles(paths, { decode, shard: '1/3', onProgress: (p) => seen.push(p) });
    expect(tf.memory().numTensors).toBe(before);
    expect(stats.images).toBe(10);
    expect(seen).toHaveLength(10);
    expect(seen[9]).toMatchObject({ files: 10, totalFiles: 10, images: 10, inputs: 10 });
    expect(seen.map((p) => p.path)).toEqual([...files.keys()].sort().filter((_, i) => i % 3 === 1));
    expect(stats.source?.shard).toEqual({ count: 3, indices: [1] });
  });

  it('resumes an aborted fit from its checkpoint: same result, no file counted twice', async () => {
    const uninterrupted = await fitFiles(paths, { decode: recordingDecoder().decode });
    for (const concurrency of [1, 4]) {
      const checkpoint = join(dir, `resume-${concurrency}.json`);
      const controller = new AbortController();
      const first = recordingDecoder();
      const counted: string[] = [];
      const aborted = fitFiles(paths, {
        decode: first.decode,
        concurrency,
        checkpoint,
        checkpointEvery: 5,
        signal: controller.signal,
        onProgress: (p) => {
          counted.push(p.path);
          if (p.files === 12) controller.abort();
        },
      });
      await expect(aborted).rejects.toMatchObject({ code: 'E_ABORTED', message: expect.stringContaining('after 12 of 30 files') });
      const saved = JSON.parse(await readFile(checkpoint, 'utf8'));
      expect(saved.files).toMatchObject({ total: 30, done: 12, last: counted[11] });
      expect(saved.state.images).toBe(12);

      const second = recordingDecoder();
      const resumed = await fitFiles(paths, { decode: second.decode, concurrency, checkpoint, onProgress: (p) => counted.push(p.path) });
      expect(resumed).toEqual(uninterrupted);
      // Every file was counted exactly once across the two runs.
      expect(counted).toHaveLength(30);
      expect(new Set(counted).size).toBe(30);
      expect(second.calls).toEqual([...files.keys()].sort().slice(12));
      // A finished checkpoint answers at once, decoding nothing.
      const third = recordingDecoder();
      expect(await fitFiles(paths, { decode: third.decode, checkpoint })).toEqual(uninterrupted);
      expect(third.calls).toEqual([]);
    }
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('saves the checkpoint when a file fails to decode, naming the file, and resumes once it is fixed', async () => {
    const checkpoint = join(dir, 'broken.json');
    const sorted = [...files.keys()].sort();
    const broken = sorted[17];
    const failing = async (path: string) => {
      if (path === broken) throw new Error('Input buffer contains unsupported image format');
      return files.get(path) as RawBatch;
    };
    await expect(fitFiles(paths, { decode: failing, checkpoint, checkpointEvery: 100, concurrency: 3 })).rejects.toMatchObject({
      code: 'E_IO',
      message: expect.stringContaining(`${broken} but the decoder failed: Input buffer contains unsupported image format`),
    });
    expect(JSON.parse(await readFile(checkpoint, 'utf8')).files.done).toBe(17);
    const fixed = recordingDecoder();
    const resumed = await fitFiles(paths, { decode: fixed.decode, checkpoint });
    expect(fixed.calls[0]).toBe(broken);
    expect(resumed).toEqual(await fitFiles(paths, { decode: recordingDecoder().decode }));
  });

  it('refuses a checkpoint from other settings, another file list or a damaged file', async () => {
    const checkpoint = join(dir, 'guard.json');
    const controller = new AbortController();
    await fitFiles(paths, {
      decode: recordingDecoder().decode,
      checkpoint,
      signal: controller.signal,
      onProgress: (p) => p.files === 8 && controller.abort(),
    }).catch(() => undefined);
    const { decode } = recordingDecoder();
    await expect(fitFiles(paths, { decode, checkpoint, range: [0, 255] })).rejects.toThrow(/same range/);
    await expect(fitFiles(paths, { decode, checkpoint, shard: '0/2' })).rejects.toThrow(/same shard/);
    await expect(fitFiles(paths, { decode, checkpoint, layout: 'channels_first' })).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    const renamed = paths.map((p) => (p.endsWith('img-03.png') ? '/data/img-03b.png' : p));
    await expect(fitFiles(renamed, { decode, checkpoint })).rejects.toThrow(/first 8 of this fit's sorted list/);
    await expect(fitFiles(paths.slice(0, 5), { decode, checkpoint })).rejects.toThrow(/at least 8 files/);
    // Files added after the counted ones are fine: the counted 8 are still the first 8.
    files.set('/data/zzz.png', { data: randomBytes(105, 1), shape: [5, 7, 3] });
    const grown = await fitFiles([...paths, '/data/zzz.png'], { decode: recordingDecoder().decode, checkpoint });
    expect(grown.images).toBe(31);
    files.delete('/data/zzz.png');

    const damaged = join(dir, 'damaged.json');
    await writeFile(damaged, '{"format": "pixelprep-fit-checkpoint", "version": 1');
    await expect(fitFiles(paths, { decode, checkpoint: damaged })).rejects.toMatchObject({ code: 'E_FORMAT', message: expect.stringContaining('delete it') });
    await writeFile(damaged, JSON.stringify({ format: 'pixelprep-fit-checkpoint', version: 1, settings: {}, files: { total: 3, done: 9, digest: 'x' }, state: null }));
    await expect(fitFiles(paths, { decode, checkpoint: damaged })).rejects.toThrow(/damaged\.json: .*files\.done/);
  });

  it('a sharded fit is tied to the whole list: a file added anywhere refuses the resume and the merge', async () => {
    const checkpoint = join(dir, 'shard-list.json');
    const controller = new AbortController();
    await fitFiles(paths, {
      decode: recordingDecoder().decode,
      checkpoint,
      shard: '0/2',
      signal: controller.signal,
      onProgress: (p) => p.files === 3 && controller.abort(),
    }).catch(() => undefined);
    // A new first file moves every later file to the other shard: resuming would count some twice and miss others.
    files.set('/data/img-00a.png', { data: randomBytes(105, 2), shape: [5, 7, 3] });
    const grown = [...paths, '/data/img-00a.png'];
    const { decode } = recordingDecoder();
    await expect(fitFiles(grown, { decode, checkpoint, shard: '0/2' })).rejects.toThrow(/same list/);
    const [a, b] = await Promise.all([fitFiles(paths, { decode, shard: '0/2' }), fitFiles(grown, { decode, shard: '1/2' })]);
    expect(() => mergeShards(a, b)).toThrow(/same list/);
    files.delete('/data/img-00a.png');
  });

  it('rejects bad options and an empty shard clearly', async () => {
    const { decode } = recordingDecoder();
    await expect(fitFiles(paths, {} as never)).rejects.toThrow(/decode/);
    await expect(fitFiles(paths, { decode, shard: '3/3' })).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(fitFiles(paths.slice(0, 2), { decode, shard: '2/3' })).rejects.toThrow(/shard 2\/3 of 2 files/);
    await expect(fitFiles([...paths, paths[0]], { decode })).rejects.toThrow(/more than once/);
    await expect(fitFiles(paths, { decode, concurrency: 0 })).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(fitFiles(paths, { decode, checkpointEvery: 1.5 })).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(fitFiles([...paths, '/data/missing.png'], { decode })).rejects.toThrow(/missing\.png but the decoder failed: ENOENT/);
  });
});
