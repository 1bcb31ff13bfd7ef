/** Whitening JSON and files (exact round trips, every rejection path) and fitWhitening's input checks. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PixelprepError } from '../../src/core/errors.js';
import { Whitening, fitWhitening, type WhiteningJSON } from '../../src/index.js';
import { loadWhitening, saveWhitening } from '../../src/node/index.js';
import { correlatedRows } from './reference.js';

let dir = '';
let pca: Whitening;
let zca: Whitening;
let wide: Whitening;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-whitening-'));
  pca = await fitWhitening([{ data: Float32Array.from(correlatedRows(400, 3, 1, 30, 100)), shape: [20, 20, 3] }], { kind: 'pca', epsilon: 1e-3 });
  zca = await fitWhitening([{ data: Float32Array.from(correlatedRows(100, 12, 2, 20, 100)), shape: [100, 2, 2, 3] }], { kind: 'zca' });
  // D = 80: its 6400-entry component matrix is written as base64 float64.
  wide = await fitWhitening([{ data: Float32Array.from(correlatedRows(200, 80, 3, 20, 100)), shape: [200, 4, 4, 5] }], { kind: 'zca', epsilon: 0.1 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const roundTrip = (w: Whitening) => Whitening.fromJSON(JSON.parse(JSON.stringify(w.toJSON())));

function rejection(json: unknown): PixelprepError {
  try {
    Whitening.fromJSON(json);
  } catch (error) {
    expect(error).toBeInstanceOf(PixelprepError);
    return error as PixelprepError;
  }
  throw new Error('expected Whitening.fromJSON to reject');
}

describe('Whitening JSON', () => {
  it('round-trips PCA and ZCA bit for bit, inline and base64', () => {
    for (const w of [pca, zca, wide]) {
      const back = roundTrip(w);
      expect(back.toJSON()).toEqual(w.toJSON());
      expect(back.components).toEqual(w.components);
      expect(back.mean).toEqual(w.mean);
      expect(back.eigenvalues).toEqual(w.eigenvalues);
    }
    const json = pca.toJSON();
    expect(json).toMatchObject({ format: 'pixelprep-whitening', version: 1, kind: 'pca', epsilon: 1e-3, dimension: 3, sampleShape: null, samples: 400, images: 1 });
    expect(json.components).toHaveLength(3);
    expect((json.components as number[][])[0]).toHaveLength(3);
    expect(wide.toJSON().components).toMatchObject({ encoding: 'base64-float64le', length: 6400 });
    expect(wide.toJSON().mean).toHaveLength(80);
  });

  const edits: [string, (j: Record<string, unknown> & WhiteningJSON) => void, string, RegExp][] = [
    ['another format', (j) => Object.assign(j, { format: 'pixelprep-stats' }), 'E_FORMAT', /pixelprep-whitening/],
    ['another version', (j) => Object.assign(j, { version: 2 }), 'E_FORMAT', /version 1/],
    ['an unknown kind', (j) => Object.assign(j, { kind: 'ica' }), 'E_FORMAT', /kind/],
    ['a missing epsilon', (j) => delete (j as Partial<WhiteningJSON>).epsilon, 'E_FORMAT', /epsilon/],
    ['a negative epsilon', (j) => Object.assign(j, { epsilon: -1 }), 'E_STATS', /epsilon/],
    ['a short mean', (j) => (j.mean as number[]).pop(), 'E_STATS', /3 values for mean/],
    ['a null eigenvalue', (j) => Object.assign(j.eigenvalues, { 1: null }), 'E_STATS', /eigenvalues value 1/],
    ['a negative eigenvalue', (j) => Object.assign(j.eigenvalues, { 2: -1 }), 'E_STATS', /eigenvalues\[2\]/],
    ['unsorted eigenvalues', (j) => (j.eigenvalues as number[]).reverse(), 'E_STATS', /largest first/],
    ['a component that is not a unit vector', (j) => Object.assign((j.components as number[][])[1], { 0: 5 }), 'E_STATS', /components row 1/],
    ['a short component row', (j) => (j.components as number[][])[2].pop(), 'E_STATS', /components row 2/],
    ['a sample shape on a PCA', (j) => Object.assign(j, { sampleShape: [1, 1, 3] }), 'E_STATS', /sampleShape/],
  ];
  it.each(edits)('rejects %s', (_, edit, code, message) => {
    const json = JSON.parse(JSON.stringify(pca.toJSON()));
    edit(json);
    const error = rejection(json);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('rejects ZCA files whose shape or encoded data disagree', () => {
    const json = JSON.parse(JSON.stringify(zca.toJSON()));
    json.sampleShape = [3, 2, 2, 1];
    expect(rejection(json).message).toMatch(/rank 3/);
    json.sampleShape = [2, 2, 2];
    expect(rejection(json).message).toMatch(/12 values/);
    const encoded = JSON.parse(JSON.stringify(wide.toJSON()));
    encoded.components.data = encoded.components.data.slice(0, -16);
    expect(rejection(encoded)).toMatchObject({ code: 'E_FORMAT', message: expect.stringMatching(/51200 bytes/) });
    const orthogonality = JSON.parse(JSON.stringify(zca.toJSON()));
    const rows = orthogonality.components as number[][];
    rows[1] = [...rows[0]];
    expect(rejection(orthogonality).message).toMatch(/orthogonal/);
    expect(rejection(null).code).toBe('E_FORMAT');
  });
});

describe('saveWhitening / loadWhitening', () => {
  it('saves atomically and loads the same whitening', async () => {
    const path = join(dir, 'zca.json');
    await saveWhitening(path, wide);
    const loaded = await loadWhitening(path);
    expect(loaded.toJSON()).toEqual(wide.toJSON());
    const x = { data: Float32Array.from(correlatedRows(3, 80, 9, 20, 100)), shape: [3, 4, 4, 5] };
    const a = wide.apply(x);
    const b = loaded.apply(x);
    expect(b.dataSync()).toEqual(a.dataSync());
    tf.dispose([a, b]);
    expect(JSON.parse(await readFile(path, 'utf8')).format).toBe('pixelprep-whitening');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the path in every load error', async () => {
    const missing = join(dir, 'nope.json');
    await expect(loadWhitening(missing)).rejects.toMatchObject({ code: 'E_IO', message: expect.stringContaining(missing) });
    const text = join(dir, 'text.json');
    await writeFile(text, 'not json');
    await expect(loadWhitening(text)).rejects.toMatchObject({ code: 'E_FORMAT', message: expect.stringContaining(text) });
    const negative = join(dir, 'negative.json');
    const json = JSON.parse(JSON.stringify(pca.toJSON()));
    json.eigenvalues[0] = -3;
    await writeFile(negative, JSON.stringify(json));
    await expect(loadWhitening(negative)).rejects.toMatchObject({ code: 'E_STATS', message: expect.stringMatching(/negative\.json: .*eigenvalues\[0\]/) });
    await expect(saveWhitening(join(dir, 'x.json'), {} as never)).rejects.toMatchObject({ code: 'E_ARGUMENT' });
  });
});

describe('fitWhitening input checks', () => {
  const rgb = (h: number, w: number) => ({ data: new Uint8Array(h * w * 3).map((_, i) => (i * 37) % 251), shape: [h, w, 3] });

  it('names the input whose channels (pca) or image shape (zca) differ', async () => {
    await expect(fitWhitening([rgb(4, 4), rgb(5, 5), { data: new Uint8Array(16), shape: [4, 4, 1] }], { kind: 'pca' })).rejects.toMatchObject({
      code: 'E_SHAPE',
      message: expect.stringContaining('input 2'),
    });
    await expect(fitWhitening([rgb(4, 4), rgb(5, 5)], { kind: 'zca' })).rejects.toMatchObject({ code: 'E_SHAPE', message: expect.stringMatching(/input 1 .*\[4,4,3\]/) });
  });

  it('refuses a ZCA dimension beyond maxDimension, with the memory it would need', async () => {
    await expect(fitWhitening([rgb(64, 64)], { kind: 'zca' })).rejects.toThrow(/12288.*1152 MB/);
    await expect(fitWhitening([rgb(4, 4)], { kind: 'zca', maxDimension: 47 })).rejects.toThrow(/maxDimension = 47/);
  });

  it('needs two vectors, finite values, a kind and a live source', async () => {
    await expect(fitWhitening([rgb(4, 4)], { kind: 'zca' })).rejects.toMatchObject({ code: 'E_STATS', message: expect.stringContaining('at least 2 images') });
    await expect(fitWhitening([], { kind: 'pca' })).rejects.toMatchObject({ code: 'E_STATS' });
    await expect(fitWhitening([{ data: new Float32Array([1, 2, NaN, 4, 5, 6]), shape: [1, 2, 3] }], { kind: 'pca' })).rejects.toMatchObject({ code: 'E_VALUE' });
    await expect(fitWhitening([rgb(4, 4)], { kind: 'ica' } as never)).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(fitWhitening([rgb(4, 4)], {} as never)).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(fitWhitening([rgb(4, 4)], { kind: 'pca', epsilon: 0 })).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(fitWhitening([rgb(4, 4)], { kind: 'pca', signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'E_ABORTED' });
  });

  it('gives constant channels a finite whitening (epsilon), never NaN', async () => {
    const flat = { data: new Uint8Array(8 * 8 * 3).map((_, i) => (i % 3 === 2 ? 7 : (i * 13) % 256)), shape: [8, 8, 3] };
    const w = await fitWhitening([flat], { kind: 'pca' });
    expect(w.eigenvalues[2]).toBeCloseTo(0, 9);
    const y = w.apply(flat);
    expect(y.dataSync().every(Number.isFinite)).toBe(true);
    const back = w.invert(y);
    expect(Uint8Array.from(back.dataSync(), Math.round)).toEqual(flat.data);
    tf.dispose([y, back]);
  });
});
