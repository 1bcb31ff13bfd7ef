/** Stats files: exact round trip, atomic save, and every rejection path of loading. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitStats } from '../../src/index.js';
import { loadStats, saveStats, statsFromJSON, statsToJSON, type StatsFileJSON } from '../../src/node/index.js';
import { PixelprepError } from '../../src/core/errors.js';
import { createScaler } from '../../src/core/scaler.js';
import type { PixelStats } from '../../src/core/pixel_stats.js';
import { randomBytes, seeded } from './reference.js';

let dir = '';
let stats: PixelStats;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-stats-'));
  const next = seeded(9);
  stats = await fitStats(
    [
      { data: randomBytes(4 * 5 * 5 * 3, 1), shape: [4, 5, 5, 3] },
      { data: Float64Array.from({ length: 75 }, () => next() * 255), shape: [5, 5, 3] },
    ],
    { range: [0, 255] },
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const valid = (): StatsFileJSON => JSON.parse(JSON.stringify(statsToJSON(stats, { resize: { width: 5, height: 5 } })));

function rejection(json: unknown): PixelprepError {
  try {
    statsFromJSON(json);
  } catch (error) {
    expect(error).toBeInstanceOf(PixelprepError);
    return error as PixelprepError;
  }
  throw new Error('expected statsFromJSON to reject');
}

describe('stats JSON', () => {
  it('round-trips bit for bit, with its source', () => {
    const json = valid();
    expect(json.format).toBe('pixelprep-stats');
    expect(json.version).toBe(2);
    expect(json.source).toMatchObject({ layout: 'channels_last', spatialDims: 2, range: [0, 255], resize: { width: 5, height: 5 } });
    const back = statsFromJSON(json);
    expect(back).toEqual({ ...stats, source: json.source });
    expect(statsFromJSON(JSON.parse(JSON.stringify(statsToJSON(back))))).toEqual(back);
  });

  it('reads the documented fields: count per channel, population std, global pooled', () => {
    const json = valid();
    expect(json.count).toBe(5 * 25);
    expect(json.images).toBe(5);
    expect(json.global.count).toBe(3 * 5 * 25);
    json.std.forEach((s, c) => expect(s).toBe(Math.sqrt(json.m2[c] / json.count)));
  });

  it.each<[string, (j: Record<string, unknown> & StatsFileJSON) => void, string, RegExp]>([
    ['another format', (j) => Object.assign(j, { format: 'pixelprep-plan' }), 'E_FORMAT', /pixelprep-stats.*format.*pixelprep-plan/],
    ['a newer version', (j) => Object.assign(j, { version: 3 }), 'E_FORMAT', /version 1 or 2.*received 3.*newer pixelprep/],
    ['version as a string', (j) => Object.assign(j, { version: '1' }), 'E_FORMAT', /version/],
    ['a missing field', (j) => delete (j as Partial<StatsFileJSON>).m2, 'E_FORMAT', /for m2/],
    ['channels as a string', (j) => Object.assign(j, { channels: '3' }), 'E_FORMAT', /for channels/],
    ['zero channels', (j) => Object.assign(j, { channels: 0 }), 'E_STATS', /positive integer for channels/],
    ['a fractional count', (j) => Object.assign(j, { count: 12.5 }), 'E_STATS', /for count/],
    ['negative images', (j) => Object.assign(j, { images: -1 }), 'E_STATS', /for images/],
    ['too few means', (j) => j.mean.pop(), 'E_STATS', /3 values .* for mean/],
    ['too many maxima', (j) => j.max.push(1), 'E_STATS', /3 values .* for max/],
    ['a null (NaN written by JSON)', (j) => Object.assign(j.mean, { 1: null }), 'E_STATS', /finite number for mean\[1\]/],
    ['an infinite value', (j) => Object.assign(j.min, { 0: -Infinity }), 'E_STATS', /finite number for min\[0\]/],
    ['a negative std', (j) => Object.assign(j.std, { 2: -1 }), 'E_STATS', /non-negative number for std\[2\]/],
    ['a negative m2', (j) => Object.assign(j.m2, { 0: -5 }), 'E_STATS', /non-negative number for m2\[0\]/],
    ['a std edited apart from m2', (j) => Object.assign(j.std, { 1: j.std[1] * 1.01 }), 'E_STATS', /sqrt\(m2\[1\] \/ count\).*for std\[1\]/],
    ['a mean outside [min, max]', (j) => Object.assign(j.mean, { 0: j.max[0] + 1 }), 'E_STATS', /min\[0\] ≤ mean\[0\] ≤ max\[0\]/],
    ['a global mean that disagrees', (j) => Object.assign(j.global, { mean: j.global.mean + 1 }), 'E_STATS', /global\.mean/],
    ['a missing global', (j) => delete (j as Partial<StatsFileJSON>).global, 'E_FORMAT', /for global/],
    ['a source with a bad layout', (j) => Object.assign(j.source, { layout: 'nhwc' }), 'E_FORMAT', /source\.layout/],
    ['a source with a bad shard record', (j) => Object.assign(j.source, { shard: { count: 2, indices: [2] } }), 'E_FORMAT', /source\.shard\.indices/],
  ])('rejects %s', (_, edit, code, message) => {
    const json = valid() as Record<string, unknown> & StatsFileJSON;
    edit(json);
    const error = rejection(json);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('rejects what is not an object and a std beyond (max - min) / 2', () => {
    expect(rejection(null).code).toBe('E_FORMAT');
    expect(rejection([1, 2]).code).toBe('E_FORMAT');
    const impossible = valid();
    impossible.m2 = impossible.m2.map(() => 1e9 * impossible.count);
    impossible.std = impossible.m2.map((m2) => Math.sqrt(m2 / impossible.count));
    expect(rejection(impossible).message).toMatch(/at most \(max - min\) \/ 2/);
  });

  it('statsToJSON refuses malformed statistics', () => {
    expect(() => statsToJSON({ ...stats, std: [1, 2] })).toThrow(expect.objectContaining({ code: 'E_STATS' }));
    expect(() => statsToJSON({ ...stats, mean: [NaN, 1, 2] })).toThrow(/mean\[0\]/);
    expect(() => statsToJSON(stats, { layout: 'sideways' } as never)).toThrow(expect.objectContaining({ code: 'E_ARGUMENT' }));
  });
});

describe('saveStats / loadStats', () => {
  it('writes readable JSON atomically and reads it back exactly', async () => {
    const path = join(dir, 'stats.json');
    await saveStats(path, stats, { files: 2 });
    const text = await readFile(path, 'utf8');
    expect(text).toMatch(/^\{\n {2}"format": "pixelprep-stats",\n {2}"version": 2,/);
    const loaded = await loadStats(path);
    expect(loaded).toEqual({ ...stats, source: { ...stats.source, files: 2 } });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves the old file whole when the new statistics are rejected', async () => {
    const path = join(dir, 'keep.json');
    await saveStats(path, stats);
    const before = await readFile(path, 'utf8');
    await expect(saveStats(path, { ...stats, std: [-1, 0, 0] })).rejects.toMatchObject({ code: 'E_STATS' });
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('names the path: E_IO when unreadable, E_FORMAT when not JSON or not a stats file', async () => {
    const missing = join(dir, 'missing.json');
    await expect(loadStats(missing)).rejects.toMatchObject({ code: 'E_IO', message: expect.stringContaining(missing) });
    const garbage = join(dir, 'garbage.json');
    await writeFile(garbage, '{ "format": "pixelprep-stats", ');
    await expect(loadStats(garbage)).rejects.toMatchObject({ code: 'E_FORMAT', message: expect.stringContaining(garbage) });
    const plan = join(dir, 'plan.json');
    await writeFile(plan, JSON.stringify({ format: 'pixelprep-plan', version: 1 }));
    await expect(loadStats(plan)).rejects.toMatchObject({ code: 'E_FORMAT', message: expect.stringMatching(/^.*plan\.json: Expected a 'pixelprep-stats'/) });
    const edited = join(dir, 'edited.json');
    const json = valid();
    json.std[0] = -2;
    await writeFile(edited, JSON.stringify(json));
    await expect(loadStats(edited)).rejects.toMatchObject({ code: 'E_STATS', message: expect.stringMatching(/edited\.json: .*std\[0\]/) });
    await expect(saveStats(join(dir, 'no', 'such', 'dir.json'), stats)).rejects.toMatchObject({ code: 'E_IO' });
  });

  it('loaded statistics standardize data of their channel count and refuse another (E_SHAPE)', async () => {
    const path = join(dir, 'apply.json');
    await saveStats(path, stats);
    const scaler = createScaler({ method: 'standardize', stats: await loadStats(path) });
    const rgb = { data: randomBytes(2 * 4 * 4 * 3, 77), shape: [2, 4, 4, 3] };
    const y = scaler.apply(rgb);
    const out = y.dataSync();
    for (let i = 0; i < out.length; i++) {
      const c = i % 3;
      expect(out[i]).toBeCloseTo((rgb.data[i] - stats.mean[c]) / stats.std[c], 5);
    }
    y.dispose();
    const before = tf.memory().numTensors;
    expect(() => scaler.apply({ data: randomBytes(4 * 4 * 4, 3), shape: [4, 4, 4] })).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => scaler.apply({ data: randomBytes(16, 3), shape: [4, 4, 1] })).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(tf.memory().numTensors).toBe(before);
  });
});
