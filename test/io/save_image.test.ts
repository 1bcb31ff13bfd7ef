import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, rawToTensor, saveImage } from '../../src/node/index.js';
import { createScaler } from '../../src/core/scaler.js';
import { sample } from './fixtures.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-save-'));
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sameValues = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let mismatches = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) mismatches++;
  expect(mismatches).toBe(0);
};

describe('saveImage through the plan inverse', () => {
  for (const [file, method] of [
    ['coffee.png', 'standardize'],
    ['camera.png', 'min-max'],
    ['chelsea.jpg', 'positive-standardize'],
  ] as const) {
    it(`${file}: ${method} then saveImage gives back the original 8-bit pixels`, async () => {
      const image = await decodeImage(sample(file));
      const plan = createScaler({ method }).plan(image);
      const scaled = new Float32Array(image.data.length);
      createScaler({ method }).applyInto(image, scaled);
      const path = join(dir, `${file}.png`);
      await saveImage(path, { data: scaled, shape: image.shape }, { plan });
      const back = await decodeImage(path);
      expect(back.shape).toEqual(image.shape);
      if (method === 'positive-standardize') {
        // The clip to [-1, 1] loses pixels beyond mean ± std; the others come back exactly.
        const mean = Array.from(image.data).reduce((a, b) => a + b, 0) / image.data.length;
        let checked = 0;
        for (let i = 0; i < scaled.length; i++) {
          if (scaled[i] > 0.001 && scaled[i] < 0.999) {
            checked++;
            if (back.data[i] !== image.data[i]) throw new Error(`value ${i}: ${back.data[i]} != ${image.data[i]} (mean ${mean})`);
          }
        }
        expect(checked).toBeGreaterThan(image.data.length / 3);
      } else {
        sameValues(back.data, image.data);
      }
    });
  }

  it('writes 16-bit PNGs: a 16-bit TIFF normalized and saved at depth 16 comes back exactly', async () => {
    const image = await decodeImage(sample('hubble16.tif'), { depth: 'auto', channels: 3 });
    const scaler = createScaler({ method: 'normalize' });
    const scaled = scaler.applyInto(image, new Float32Array(image.data.length));
    const path = join(dir, 'hubble16.png');
    await saveImage(path, { data: scaled, shape: image.shape }, { plan: scaler.plan(image), depth: 16, range: [0, 65535] });
    const back = await decodeImage(path, { depth: 'auto' });
    expect(back.data).toBeInstanceOf(Uint16Array);
    sameValues(back.data, image.data);
  });

  it("stretches data without a plan to black..white with range 'auto', and accepts a tensor without leaking", async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor3d([-2, 0, 2, 6], [2, 2, 1]);
    const path = join(dir, 'ramp.png');
    await saveImage(path, x, { range: 'auto' });
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // (v - (-2)) / 8 * 255, rounded: 0, 63.75 → 64, 127.5 → 128, 255.
    expect(Array.from((await decodeImage(path)).data)).toEqual([0, 64, 128, 255]);
  });

  it('rejects batches, NaN, other extensions and unwritable paths, leaving no file', async () => {
    const one = { data: new Float32Array(12), shape: [2, 2, 3] };
    await expect(saveImage(join(dir, 'two.png'), { data: new Float32Array(24), shape: [2, 2, 2, 3] })).rejects.toMatchObject({ code: 'E_SHAPE' });
    await expect(saveImage(join(dir, 'nan.png'), { data: new Float32Array([0, Number.NaN, 0, 0]), shape: [2, 2] })).rejects.toMatchObject({ code: 'E_VALUE' });
    await expect(saveImage(join(dir, 'x.jpg'), one)).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(saveImage(join(dir, 'missing', 'x.png'), one)).rejects.toMatchObject({ code: 'E_IO' });
    const left = (await readdir(dir)).filter((n) => ['two.png', 'nan.png', 'x.jpg', 'missing'].includes(n) || n.endsWith('.tmp'));
    expect(left).toEqual([]);
  });
});

describe('rawToTensor', () => {
  it('uploads uint8 as int32 and float as float32 with the same values', () => {
    const before = tf.memory().numTensors;
    const ints = rawToTensor({ data: new Uint8Array([0, 7, 255, 1]), shape: [1, 2, 2] });
    const floats = rawToTensor({ data: new Float64Array([0.5, -1]), shape: [1, 2] });
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([0, 7, 255, 1]);
    expect(floats.dtype).toBe('float32');
    expect(Array.from(floats.dataSync())).toEqual([0.5, -1]);
    tf.dispose([ints, floats]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
