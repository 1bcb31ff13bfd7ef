/** fitStats over every kind of source, with progress, abort and tensor ownership. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfd from '@tensorflow/tfjs-data';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitStats, type FitProgress } from '../../src/index.js';
import { PixelprepError } from '../../src/core/errors.js';
import type { RawBatch } from '../../src/core/input.js';
import { channelOf, concat, randomBytes, relativeError, twoPass } from './reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const batches: RawBatch[] = Array.from({ length: 5 }, (_, k) => ({ data: randomBytes(2 * 6 * 6 * 3, 100 + k), shape: [2, 6, 6, 3] }));
const all = concat(batches.map((b) => b.data));

function expectReference(stats: Awaited<ReturnType<typeof fitStats>>) {
  expect(stats.images).toBe(10);
  expect(stats.count).toBe(10 * 36);
  for (let c = 0; c < 3; c++) {
    const ref = twoPass(channelOf(all, 3, c));
    expect(relativeError(stats.mean[c], ref.mean)).toBeLessThanOrEqual(1e-14);
    expect(relativeError(stats.std[c], ref.std)).toBeLessThanOrEqual(1e-12);
    expect(stats.min[c]).toBe(ref.min);
    expect(stats.max[c]).toBe(ref.max);
  }
}

describe('fitStats', () => {
  it('reads arrays, generators, async generators and tf.data datasets alike', async () => {
    function* sync() {
      yield* batches;
    }
    async function* later() {
      for (const b of batches) {
        await new Promise((resolve) => setImmediate(resolve));
        yield b;
      }
    }
    const fromArray = await fitStats(batches);
    expectReference(fromArray);
    expect(await fitStats(sync())).toEqual(fromArray);
    expect(await fitStats(later())).toEqual(fromArray);

    const before = tf.memory().numTensors;
    const dataset = tfd.generator(function* () {
      for (const b of batches) yield tf.tensor(Int32Array.from(b.data), b.shape as number[], 'int32');
    });
    expectReference(await fitStats(dataset));
    // Dataset elements belong to the consumer: every one was disposed.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves the caller’s tensors alone unless disposeInputs is set', async () => {
    const tensors = batches.map((b) => tf.tensor(Float32Array.from(b.data), b.shape as number[]));
    const kept = await fitStats(tensors);
    expect(tensors.every((t) => !t.isDisposed)).toBe(true);
    expectReference(kept);
    const before = tf.memory().numTensors;
    await fitStats(tensors, { disposeInputs: true });
    expect(tensors.every((t) => t.isDisposed)).toBe(true);
    expect(tf.memory().numTensors).toBe(before - tensors.length);
  });

  it('reports progress after each input', async () => {
    const seen: FitProgress[] = [];
    await fitStats(batches, { onProgress: (p) => seen.push(p) });
    expect(seen).toHaveLength(5);
    expect(seen[4]).toEqual({ inputs: 5, images: 10, values: 10 * 36 * 3 });
    expect(seen.map((p) => p.images)).toEqual([2, 4, 6, 8, 10]);
  });

  it('stops on abort with E_ABORTED, between inputs and during a pending one, and lets the generator clean up', async () => {
    const controller = new AbortController();
    let cleaned = false;
    async function* source() {
      try {
        yield* batches;
      } finally {
        cleaned = true;
      }
    }
    const run = fitStats(source(), { signal: controller.signal, onProgress: (p) => p.inputs === 2 && controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'E_ABORTED' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(cleaned).toBe(true);

    const stuck = new AbortController();
    const never = { [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<RawBatch>>(() => undefined) }) };
    const pending = fitStats(never, { signal: stuck.signal });
    stuck.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow(/aborted: shutting down/);

    const already = AbortSignal.abort();
    await expect(fitStats(batches, { signal: already })).rejects.toMatchObject({ code: 'E_ABORTED' });
  });

  it('names the input whose channel count differs', async () => {
    const mixed = [...batches.slice(0, 3), { data: new Uint8Array(6 * 6 * 4), shape: [6, 6, 4] }];
    const error = await fitStats(mixed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PixelprepError);
    expect(error).toMatchObject({ code: 'E_SHAPE' });
    expect((error as Error).message).toContain('input 3');
  });

  it('rejects what is not a source, an empty source and bad options', async () => {
    await expect(fitStats(batches[0] as never)).rejects.toThrow(/single input; wrap it in an array/);
    await expect(fitStats(42 as never)).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(fitStats([])).rejects.toMatchObject({ code: 'E_STATS' });
    await expect(fitStats(batches, { onProgress: 'yes' as never })).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(fitStats(batches, { signal: {} as never })).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(fitStats(batches, { rnage: [0, 1] } as never)).rejects.toMatchObject({ code: 'E_ARGUMENT' });
  });

  it('records provenance passed in source beside its own', async () => {
    const stats = await fitStats(batches, { range: [0, 255], source: { resize: { width: 6, height: 6 } } });
    expect(stats.source).toEqual({ layout: 'channels_last', spatialDims: 2, range: [0, 255], resize: { width: 6, height: 6 }, bitDepth: 8, digest: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });
});
