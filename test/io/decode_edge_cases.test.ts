import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PixelprepError } from '../../src/core/errors.js';
import { decodeImage } from '../../src/node/index.js';
import { encodePng } from '../helpers/png_writer.js';
import { channelMean, sample } from './fixtures.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-decode-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Expects `promise` to reject with a PixelprepError of `code` whose message matches every pattern. */
async function rejects(promise: Promise<unknown>, code: string, ...patterns: (string | RegExp)[]): Promise<PixelprepError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PixelprepError);
  const e = error as PixelprepError;
  expect(e.code).toBe(code);
  for (const p of patterns) expect(e.message).toMatch(p);
  return e;
}

/** A PNG of a few hundred bytes whose header declares width × height grey pixels (a decompression bomb's header). */
const bombPng = (width: number, height: number): Buffer => encodePng(new Uint8Array(width), width, 1, 1, { width, height });

describe('EXIF orientation', () => {
  it('applies orientation 6 (rotate 90° clockwise) to the stored pixels, and ignores it on request', async () => {
    const upright = await decodeImage(sample('chelsea.jpg'));
    const stored = await decodeImage(sample('chelsea.jpg'), { autoOrient: false });
    const [h, w, c] = stored.shape;
    expect(upright.shape).toEqual([w, h, c]);
    // Orientation 6: displayed (y, x) is stored (h - 1 - x, y).
    let mismatches = 0;
    for (let y = 0; y < w; y++) {
      for (let x = 0; x < h; x++) {
        for (let k = 0; k < c; k++) {
          if (upright.data[(y * h + x) * c + k] !== stored.data[((h - 1 - x) * w + y) * c + k]) mismatches++;
        }
      }
    }
    expect(mismatches).toBe(0);
  });
});

describe('channels and depth', () => {
  it('keeps a grey photograph at one channel and an RGB one at three', async () => {
    expect((await decodeImage(sample('camera.png'))).shape[2]).toBe(1);
    expect((await decodeImage(sample('coffee.png'))).shape[2]).toBe(3);
    expect((await decodeImage(sample('hubble16.tif'), { depth: 'auto' })).shape[2]).toBe(1);
  });

  it('drops alpha by default and keeps it on request: transparent corners, opaque centre', async () => {
    const dropped = await decodeImage(sample('retina.png'));
    const kept = await decodeImage(sample('retina.png'), { alpha: 'keep' });
    expect(dropped.shape).toEqual([160, 160, 3]);
    expect(kept.shape).toEqual([160, 160, 4]);
    const alphaAt = (y: number, x: number) => kept.data[(y * 160 + x) * 4 + 3];
    expect(alphaAt(0, 0)).toBe(0);
    expect(alphaAt(80, 80)).toBe(255);
    let mismatches = 0;
    for (let i = 0; i < 160 * 160; i++) {
      for (let k = 0; k < 3; k++) if (kept.data[i * 4 + k] !== dropped.data[i * 3 + k]) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("gives real 16-bit values with depth 'auto' and their high bytes by default", async () => {
    const wide = await decodeImage(sample('astronaut16.png'), { depth: 'auto' });
    const narrow = await decodeImage(sample('astronaut16.png'));
    expect(wide.data).toBeInstanceOf(Uint16Array);
    expect(narrow.data).toBeInstanceOf(Uint8Array);
    // A 16-bit file made by scaling 8-bit values holds only multiples of 257: this one does not.
    expect(Array.from(wide.data).filter((v) => v % 257 !== 0).length).toBeGreaterThan(wide.data.length / 2);
    wide.data.forEach((v, i) => {
      if (narrow.data[i] !== v >> 8) throw new Error(`value ${i}: ${narrow.data[i]} is not ${v} >> 8`);
    });
  });

  it('converts a CMYK JPEG to RGB close to the photograph it was made from', async () => {
    const source = await readFile(sample('coffee.png'));
    const cmyk = await sharp(source).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const rgb = await decodeImage(cmyk);
    const original = await decodeImage(source);
    expect(rgb.shape).toEqual([160, 240, 3]);
    let sum = 0;
    for (let i = 0; i < rgb.data.length; i++) sum += Math.abs(rgb.data[i] - original.data[i]);
    // A round trip through a CMYK ICC profile and JPEG: a few levels on average (measured 6.2).
    // Reading C, M, Y as R, G, B would be off by about a hundred.
    expect(sum / rgb.data.length).toBeLessThan(10);
    for (let k = 0; k < 3; k++) expect(Math.abs(channelMean(rgb.data, 3, k) - channelMean(original.data, 3, k))).toBeLessThan(8);
  });

  it('decodes AVIF and the first page of an animated GIF', async () => {
    const original = await decodeImage(sample('coffee.png'));
    const avif = await sharp(await readFile(sample('coffee.png'))).avif({ quality: 90 }).toBuffer();
    const decoded = await decodeImage(avif);
    expect(decoded.shape).toEqual([160, 240, 3]);
    let sum = 0;
    for (let i = 0; i < decoded.data.length; i++) sum += Math.abs(decoded.data[i] - original.data[i]);
    expect(sum / decoded.data.length).toBeLessThan(4);

    const frame = (value: number) => sharp({ create: { width: 8, height: 6, channels: 3, background: { r: value, g: value, b: value } } }).png().toBuffer();
    const gif = await sharp([await frame(10), await frame(200)], { join: { animated: true } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const first = await decodeImage(gif);
    expect(first.shape).toEqual([6, 8, 3]);
    expect(new Set(first.data)).toEqual(new Set([10]));
  });

  it('decodes bytes exactly as it decodes the file holding them', async () => {
    const fromPath = await decodeImage(sample('rocket.jpg'));
    const fromBytes = await decodeImage(new Uint8Array(await readFile(sample('rocket.jpg'))));
    expect(fromBytes.shape).toEqual(fromPath.shape);
    expect(Buffer.compare(Buffer.from(fromBytes.data), Buffer.from(fromPath.data))).toBe(0);
  });
});

describe('resize', () => {
  it("'center-crop' is 'shorter side to the target, then the centre': equal to a stretch to 150×100 cropped at x = 25", async () => {
    const cropped = await decodeImage(sample('coffee.png'), { resize: { width: 100, height: 100 } });
    const scaled = await decodeImage(sample('coffee.png'), { resize: { width: 150, height: 100, fit: 'stretch' } });
    expect(cropped.shape).toEqual([100, 100, 3]);
    let mismatches = 0;
    for (let y = 0; y < 100; y++) {
      for (let x = 0; x < 100 * 3; x++) if (cropped.data[y * 300 + x] !== scaled.data[y * 450 + 75 + x]) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("'stretch' gives the exact size and orientation comes first", async () => {
    const image = await decodeImage(sample('chelsea.jpg'), { resize: { width: 64, height: 32, fit: 'stretch' } });
    expect(image.shape).toEqual([32, 64, 3]);
  });
});

describe('bad files are rejected with E_FORMAT or E_IO naming the file', () => {
  it('rejects a decompression bomb by its declared size before decoding', async () => {
    const path = join(dir, 'bomb.png');
    await writeFile(path, bombPng(100_000, 100_000));
    expect((await readFile(path)).length).toBeLessThan(200_000);
    await rejects(decodeImage(path), 'E_FORMAT', path, /100000×100000/, /limitInputPixels/);
  });

  it('honours a smaller limitInputPixels on a real photograph', async () => {
    await rejects(decodeImage(sample('coffee.png'), { limitInputPixels: 240 * 160 - 1 }), 'E_FORMAT', 'coffee.png', /240×160 = 38400/);
    expect((await decodeImage(sample('coffee.png'), { limitInputPixels: 240 * 160 })).shape).toEqual([160, 240, 3]);
  });

  it('rejects empty, truncated and non-image files', async () => {
    const empty = join(dir, 'empty.jpg');
    await writeFile(empty, new Uint8Array());
    await rejects(decodeImage(empty), 'E_FORMAT', empty, /empty/);

    for (const name of ['chelsea.jpg', 'coffee.png', 'astronaut.webp']) {
      const bytes = await readFile(sample(name));
      const path = join(dir, `truncated-${name}`);
      await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
      await rejects(decodeImage(path), 'E_FORMAT', path);
    }

    const text = join(dir, 'notes.png');
    await writeFile(text, 'these are not pixels\n');
    await rejects(decodeImage(text), 'E_FORMAT', text, /not a supported image format/);

    const svg = join(dir, 'drawing.png');
    await writeFile(svg, '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>');
    await rejects(decodeImage(svg), 'E_FORMAT', svg, /it is svg/);
  });

  it('reports a missing file or a directory as E_IO', async () => {
    await rejects(decodeImage(join(dir, 'missing.jpg')), 'E_IO', 'missing.jpg', /does not exist/);
    await rejects(decodeImage(dir), 'E_IO', dir, /it is a folder/);
  });

  it('rejects bad options with E_ARGUMENT before reading anything', async () => {
    await rejects(decodeImage(sample('coffee.png'), { channels: 2 as never }), 'E_ARGUMENT', /channels/);
    await rejects(decodeImage(sample('coffee.png'), { channels: 3, alpha: 'keep' }), 'E_ARGUMENT', /alpha/);
    await rejects(decodeImage(sample('coffee.png'), { resize: { width: 0, height: 10 } }), 'E_ARGUMENT', /resize.width/);
    await rejects(decodeImage(sample('coffee.png'), { resize: { width: 10, height: 10, fit: 'contain' as never } }), 'E_ARGUMENT', /resize.fit/);
    await rejects(decodeImage(sample('coffee.png'), { chanels: 3 } as never), 'E_ARGUMENT', /chanels/);
    await rejects(decodeImage(sample('coffee.png'), { limitInputPixels: 0 }), 'E_ARGUMENT', /limitInputPixels/);
    await rejects(decodeImage(42 as never), 'E_ARGUMENT', /source/);
  });
});
