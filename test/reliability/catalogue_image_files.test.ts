/**
 * Catalogue of bad image files and paths: each gets E_FORMAT, E_IO, E_SHAPE or
 * E_DTYPE naming the file. Files that only look unusual (16-bit, CMYK, a PNG
 * named .jpg) must decode to the right values instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, listImages, loadBatches, readNpy, saveImage, writeNpy } from '../../src/node/index.js';
import { scale, type ErrorCode } from '../../src/index.js';
import { caught, expectBadInput } from './bad_input.js';
import { encodePng } from '../helpers/png_writer.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const sample = (name: string) => `${ROOT}samples/${name}`;
let dir = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-image-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const half = async (name: string) => {
  const bytes = await readFile(sample(name));
  return bytes.subarray(0, Math.floor(bytes.length / 2));
};

interface BadImage {
  name: string;
  /** File name to write `content` under (its extension is what a user would see). */
  file: string;
  /** The bytes, or how to make the path bad. */
  content: () => Promise<string | Uint8Array> | 'folder' | 'through-a-file' | 'missing';
  options?: Parameters<typeof decodeImage>[1];
  code: ErrorCode;
  message: RegExp;
}

const badImages: BadImage[] = [
  { name: 'an empty file', file: 'empty.jpg', content: async () => new Uint8Array(), code: 'E_FORMAT', message: /image in .*empty\.jpg but it is empty \(0 bytes\)/ },
  { name: 'a JPEG cut in half', file: 'half.jpg', content: () => half('chelsea.jpg'), code: 'E_FORMAT', message: /valid image in .*half\.jpg but decoding failed/ },
  { name: 'a PNG cut in half', file: 'half.png', content: () => half('coffee.png'), code: 'E_FORMAT', message: /valid image in .*half\.png but decoding failed/ },
  { name: 'a WebP cut in half', file: 'half.webp', content: () => half('astronaut.webp'), code: 'E_FORMAT', message: /half\.webp/ },
  { name: 'a PNG with only its signature and header', file: 'header.png', content: async () => (await readFile(sample('coffee.png'))).subarray(0, 33), code: 'E_FORMAT', message: /header\.png/ },
  { name: 'a PNG whose compressed pixels are corrupted', file: 'corrupt.png', content: async () => {
    const bytes = Buffer.from(await readFile(sample('coffee.png')));
    for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 64; i++) bytes[i] ^= 0x5a;
    return bytes;
  }, code: 'E_FORMAT', message: /valid image in .*corrupt\.png but decoding failed/ },
  { name: 'text with an image extension', file: 'notes.png', content: async () => 'these are not pixels\n', code: 'E_FORMAT', message: /JPEG, PNG, WebP, TIFF, GIF or AVIF\) in .*notes\.png but its content is not a supported image format/ },
  { name: 'an SVG drawing named .png', file: 'drawing.png', content: async () => '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>', code: 'E_FORMAT', message: /drawing\.png but it is svg/ },
  { name: 'a PDF named .jpg', file: 'scan.jpg', content: async () => '%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', code: 'E_FORMAT', message: /scan\.jpg but its content is not a supported image format/ },
  { name: 'a NumPy array named .jpg', file: 'array.jpg', content: () => readFile(`${ROOT}test/fixtures/npy/u1_4x5x3.npy`), code: 'E_FORMAT', message: /array\.jpg/ },
  { name: 'a decompression bomb (a tiny PNG declaring 100000×100000 pixels)', file: 'bomb.png', content: async () => encodePng(new Uint8Array(4), 2, 2, 1, { width: 100_000, height: 100_000 }), code: 'E_FORMAT', message: /at most 268402689 pixels \(limitInputPixels\) in .*bomb\.png but it declares 100000×100000 = 10000000000/ },
  { name: 'a real photograph above a lowered pixel limit', file: 'big.png', content: () => readFile(sample('coffee.png')), options: { limitInputPixels: 1000 }, code: 'E_FORMAT', message: /at most 1000 pixels .* declares 240×160 = 38400/ },
  { name: 'a path that does not exist', file: 'missing.png', content: () => 'missing', code: 'E_IO', message: /image file at .*missing\.png but could not read it: it does not exist/ },
  { name: 'a folder where a file is expected', file: 'folder.png', content: () => 'folder', code: 'E_IO', message: /folder\.png to be a regular file but it is a folder/ },
  { name: 'a path through a file', file: 'x.png', content: () => 'through-a-file', code: 'E_IO', message: /x\.png but could not read it: .*ENOTDIR/ },
];

describe('decoding a bad image file', () => {
  it.each(badImages)('$name → $code, naming the file', async ({ file, content, options, code, message }) => {
    let path = join(dir, file);
    const made = content();
    if (made === 'folder') await mkdir(path);
    else if (made === 'through-a-file') {
      await writeFile(join(dir, 'plain.txt'), 'a file');
      path = join(dir, 'plain.txt', file);
    } else if (made !== 'missing') await writeFile(path, await made);
    const error = expectBadInput(await caught(() => decodeImage(path, options)), code, message);
    expect(error.message).toContain(path);
  });

  it(`catalogues ${badImages.length} bad image files`, () => expect(badImages.length).toBeGreaterThanOrEqual(15));
});

describe('bad files around images', () => {
  it('a batch of two shapes → E_SHAPE naming both files', async () => {
    const folder = join(dir, 'mixed');
    await mkdir(folder);
    await writeFile(join(folder, 'a.png'), encodePng(new Uint8Array(12), 2, 2, 3));
    await writeFile(join(folder, 'b.png'), encodePng(new Uint8Array(18), 3, 2, 3));
    const error = await caught(async () => {
      for await (const batch of loadBatches(folder, { batchSize: 2 })) expect(batch).toBeUndefined();
    });
    expectBadInput(error, 'E_SHAPE', /b\.png to decode to \[2,2,3\] uint8 like .*a\.png .* but received \[2,3,3\] uint8/);
  });

  it('listing a folder that does not exist → E_IO', async () => {
    expectBadInput(await caught(() => listImages([join(dir, 'nowhere')])), 'E_IO', /image file or a directory at .*nowhere but it does not exist/);
  });

  it('.npy files: truncated, not an array, or of an unsupported dtype → E_FORMAT / E_DTYPE naming the file', async () => {
    const good = await readFile(`${ROOT}test/fixtures/npy/u1_4x5x3.npy`);
    const truncated = join(dir, 'truncated.npy');
    await writeFile(truncated, good.subarray(0, good.length - 7));
    expectBadInput(await caught(() => readNpy(truncated)), 'E_FORMAT', /truncated\.npy but it holds 53 data bytes where shape \(4, 5, 3\) of '\|u1' needs 60 \(truncated\)/);
    const png = join(dir, 'picture.npy');
    await writeFile(png, await readFile(sample('coffee.png')));
    expectBadInput(await caught(() => readNpy(png)), 'E_FORMAT', /picture\.npy but it does not start with the \\x93NUMPY magic string/);
    expectBadInput(await caught(() => readNpy(`${ROOT}test/fixtures/npy/i8_3.npy`)), 'E_DTYPE', /uint8, bool, uint16, int32, float32, float64 in .*i8_3\.npy but received '<i8'/);
  });

  it('writing a PNG or .npy where it cannot go → E_IO; bad pixels → E_SHAPE / E_VALUE; nothing is left behind', async () => {
    const folder = join(dir, 'writes');
    await mkdir(folder);
    await writeFile(join(folder, 'a-file'), 'x');
    const image = { data: new Uint8Array(12), shape: [2, 2, 3] };
    expectBadInput(await caught(() => saveImage(join(folder, 'missing', 'x.png'), image)), 'E_IO', /write .*missing\/x\.png but could not: ENOENT/);
    expectBadInput(await caught(() => writeNpy(join(folder, 'a-file', 'x.npy'), image)), 'E_IO', /a-file\/x\.npy but .*ENOTDIR/);
    expectBadInput(await caught(() => saveImage(join(folder, 'five.png'), { data: new Uint8Array(20), shape: [2, 2, 5] })), 'E_SHAPE', /1 to 4 channels for a PNG but received 5/);
    expectBadInput(await caught(() => saveImage(join(folder, 'nan.png'), { data: new Float32Array([0, NaN, 0, 0]), shape: [2, 2] })), 'E_VALUE', /finite pixel values in image but received NaN/);
    expect((await readdir(folder)).sort()).toEqual(['a-file']);
  });
});

describe('files that look unusual but must decode exactly', () => {
  /** Pixels with a pattern over the whole 16-bit range, including values that are not multiples of 257. */
  const wide = (count: number) => Uint16Array.from({ length: count }, (_, i) => (i * 40503 + 7) % 65536);

  it("16-bit RGB PNG: depth 'auto' gives the stored Uint16 values, the default their high bytes, normalize v / 65535", async () => {
    const [w, h] = [5, 3];
    const values = wide(w * h * 3);
    const path = join(dir, 'rgb16.png');
    await writeFile(path, encodePng(values, w, h, 3));
    const full = await decodeImage(path, { depth: 'auto' });
    expect(full.shape).toEqual([h, w, 3]);
    expect(full.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(full.data)).toEqual(Array.from(values));
    const narrow = await decodeImage(path);
    expect(Array.from(narrow.data)).toEqual(Array.from(values, (v) => v >> 8));
    const y = scale(full, { method: 'normalize' });
    const scaled = y.dataSync();
    y.dispose();
    values.forEach((v, i) => expect(Math.abs(scaled[i] - v / 65535)).toBeLessThanOrEqual(2 ** -24));
  });

  it('16-bit grey PNG keeps one channel and every value', async () => {
    const values = wide(7 * 4);
    const path = join(dir, 'grey16.png');
    await writeFile(path, encodePng(values, 7, 4, 1));
    const image = await decodeImage(path, { depth: 'auto' });
    expect(image.shape).toEqual([4, 7, 1]);
    expect(Array.from(image.data)).toEqual(Array.from(values));
  });

  it('CMYK JPEG and TIFF decode to RGB through the ICC profile: colours keep their hue, greys stay neutral', async () => {
    // Rows of one colour each: red, green, blue, mid grey, near white, near black.
    const colours = [[200, 30, 30], [30, 180, 40], [20, 40, 200], [128, 128, 128], [250, 250, 250], [10, 10, 10]];
    const [w, h] = [8, colours.length];
    const rgb = new Uint8Array(w * h * 3);
    for (let p = 0; p < w * h; p++) rgb.set(colours[Math.floor(p / w)], p * 3);
    for (const format of ['jpeg', 'tiff'] as const) {
      const cmyk = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).toColourspace('cmyk')[format]().toBuffer();
      expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
      const image = await decodeImage(cmyk);
      expect(image.shape).toEqual([h, w, 3]);
      colours.forEach((colour, row) => {
        const got = Array.from(image.data.subarray(row * w * 3 + 9, row * w * 3 + 12));
        const strongest = colour.indexOf(Math.max(...colour));
        if (colour[0] === colour[1]) {
          // Neutral: the three channels within a few levels of each other and of the original.
          expect(Math.max(...got) - Math.min(...got), `${format} row ${row}: ${got}`).toBeLessThanOrEqual(6);
          expect(Math.abs(got[1] - colour[1]), `${format} row ${row}: ${got}`).toBeLessThanOrEqual(16);
        } else {
          // Saturated: the same dominant channel (reading C, M, Y as R, G, B would invert it);
          // sRGB blue lies outside the CMYK gamut, hence the wide tolerance.
          expect(got.indexOf(Math.max(...got)), `${format} row ${row}: ${got}`).toBe(strongest);
          got.forEach((v, k) => expect(Math.abs(v - colour[k]), `${format} row ${row}: ${got}`).toBeLessThanOrEqual(70));
        }
      });
    }
  });

  it('a PNG named .jpg, and a JPEG named .txt given by name, decode by their content; a folder lists image extensions only', async () => {
    const folder = join(dir, 'names');
    await mkdir(folder);
    const pixels = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 59) % 256);
    await writeFile(join(folder, 'really-a-png.jpg'), encodePng(pixels, 4, 3, 3));
    const decoded = await decodeImage(join(folder, 'really-a-png.jpg'));
    expect(decoded.shape).toEqual([3, 4, 3]);
    expect(Array.from(decoded.data)).toEqual(Array.from(pixels));

    await writeFile(join(folder, 'photo.txt'), await readFile(sample('chelsea.jpg')));
    const named = await decodeImage(join(folder, 'photo.txt'));
    const original = await decodeImage(sample('chelsea.jpg'));
    expect(Buffer.compare(Buffer.from(named.data), Buffer.from(original.data))).toBe(0);

    await writeFile(join(folder, 'UPPER.PNG'), encodePng(pixels, 4, 3, 3));
    await writeFile(join(folder, 'notes.md'), '# not an image');
    expect(await listImages([folder])).toEqual(['UPPER.PNG', 'really-a-png.jpg'].map((f) => join(folder, f)));
  });
});
