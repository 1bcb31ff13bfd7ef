import { describe, expect, it } from 'vitest';
import { decodeImage, readNpy } from '../../src/node/index.js';
import { channelMean, pillowReference, ROOT, sha256 } from './fixtures.js';

const reference = pillowReference();

describe(`decodeImage equals Pillow ${reference.pillow} (libjpeg-turbo ${reference.libjpeg_turbo}) value for value`, () => {
  for (const entry of reference.entries) {
    it(`${entry.file} ${JSON.stringify(entry.options)} — Pillow: ${entry.pillow}`, async () => {
      const image = await decodeImage(`${ROOT}${entry.file}`, entry.options);
      expect(image.shape).toEqual(entry.shape);
      expect(image.data).toBeInstanceOf(entry.dtype === 'uint16' ? Uint16Array : Uint8Array);
      const means = entry.shape.slice(2).flatMap((c) => Array.from({ length: c }, (_, k) => channelMean(image.data, c, k)));
      // Means first: on a mismatch they say how far off the decode is; the hash then demands every value.
      means.forEach((m, k) => expect(m).toBeCloseTo(entry.mean[k], 9));
      expect(sha256(image.data)).toBe(entry.sha256);
    });
  }
});

describe('the whole decoded photograph as numpy saved it', () => {
  it('camera.png equals numpy.load of Pillow\'s array, element for element', async () => {
    const reference = await readNpy(`${ROOT}test/fixtures/pillow/camera.npy`);
    const image = await decodeImage(`${ROOT}samples/camera.png`);
    expect(reference.shape).toEqual([192, 192]);
    expect(image.shape).toEqual([192, 192, 1]);
    let maxDifference = 0;
    reference.data.forEach((v, i) => {
      maxDifference = Math.max(maxDifference, Math.abs(v - image.data[i]));
    });
    expect(maxDifference).toBe(0);
  });
});
