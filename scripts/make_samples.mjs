#!/usr/bin/env node
/**
 * Builds samples/ from the photographs shipped in Debian's python3-skimage
 * package (skimage/data). Usage:
 *
 *   apt-get download python3-skimage && dpkg-deb -x python3-skimage_*.deb x
 *   node scripts/make_samples.mjs x/usr/lib/python3/dist-packages/skimage/data
 *
 * Each output exercises one decoding case; samples/SOURCES.md records origin and licence.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/make_samples.mjs <skimage data folder>');
  process.exit(2);
}
const out = new URL('../samples/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const from = (name) => join(source, name);

/** Averages 2x2 blocks of 8-bit samples into 16-bit ones: real 16-bit precision, not v*257. */
async function boxDown16(input, width, height, grey) {
  let image = sharp(input).resize(width * 2, height * 2, { fit: 'cover' });
  if (grey) image = image.toColourspace('b-w');
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  const c = info.channels;
  const out16 = new Uint16Array(width * height * c);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < c; k++) {
        const at = (dy, dx) => data[((2 * y + dy) * info.width + 2 * x + dx) * c + k];
        out16[(y * width + x) * c + k] = Math.round(((at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) * 257) / 4);
      }
    }
  }
  return sharp(out16, { raw: { width, height, channels: c } }).toColourspace(grey ? 'grey16' : 'rgb16');
}

// JPEG 4:2:0 stored sideways with EXIF orientation 6: decoders must rotate it upright.
// (sharp rotates before it resizes, hence two steps.)
await sharp(await sharp(from('chelsea.png')).resize(320, 213).toBuffer())
  .rotate(-90)
  .jpeg({ quality: 88, chromaSubsampling: '4:2:0', mozjpeg: false })
  .withMetadata({ orientation: 6 })
  .toFile(join(out, 'chelsea.jpg'));

// JPEG 4:4:4 carrying the original's embedded ICC profile: decoders must not colour-convert it.
await sharp(from('rocket.jpg'))
  .resize(320, 214)
  .keepIccProfile()
  .jpeg({ quality: 88, chromaSubsampling: '4:4:4', mozjpeg: false })
  .toFile(join(out, 'rocket.jpg'));

// 8-bit RGB PNG.
await sharp(from('coffee.png')).resize(240, 160).png({ compressionLevel: 9 }).toFile(join(out, 'coffee.png'));

// 8-bit grayscale PNG.
await sharp(from('camera.png')).resize(192, 192).toColourspace('b-w').png({ compressionLevel: 9 }).toFile(join(out, 'camera.png'));

// Lossy WebP.
await sharp(from('astronaut.png')).resize(224, 224).webp({ quality: 85 }).toFile(join(out, 'astronaut.webp'));

// RGBA PNG: transparent outside the fundus disc.
{
  const size = 160;
  const rgb = await sharp(from('retina.jpg')).resize(size, size).raw().toBuffer();
  const rgba = Buffer.alloc(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const y = Math.floor(i / size) - size / 2 + 0.5;
    const x = (i % size) - size / 2 + 0.5;
    const r = Math.hypot(x, y) / (size / 2);
    rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = Math.max(0, Math.min(255, Math.round((1.02 - r) * 255 * 8)));
  }
  await sharp(rgba, { raw: { width: size, height: size, channels: 4 } }).png({ compressionLevel: 9 }).toFile(join(out, 'retina.png'));
}

// 16-bit RGB PNG and 16-bit grayscale TIFF with genuine 16-bit values.
await (await boxDown16(from('astronaut.png'), 112, 112, false)).png({ compressionLevel: 9 }).toFile(join(out, 'astronaut16.png'));
await (await boxDown16(from('hubble_deep_field.jpg'), 128, 112, true)).tiff({ compression: 'deflate', predictor: 'horizontal' }).toFile(join(out, 'hubble16.tif'));

console.log(`samples written to ${out}`);

// Small files derived from the samples, for decoder tests (test/fixtures/images).
const fixtures = new URL('../test/fixtures/images/', import.meta.url).pathname;
mkdirSync(fixtures, { recursive: true });
const sample = (name) => join(out, name);
await sharp(sample('camera.png')).resize(64, 64).toColourspace('b-w').jpeg({ quality: 90, mozjpeg: false }).toFile(join(fixtures, 'grey.jpg'));
await sharp(sample('coffee.png')).resize(96, 64).jpeg({ quality: 85, progressive: true, mozjpeg: false }).toFile(join(fixtures, 'progressive.jpg'));
await sharp(sample('coffee.png')).resize(72, 48).gif({ colours: 64 }).toFile(join(fixtures, 'palette.gif'));
{
  // Grey with alpha: the camera's pixels, alpha a horizontal ramp.
  const { data, info } = await sharp(sample('camera.png')).resize(48, 48).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const ga = Buffer.alloc(info.width * info.height * 2);
  for (let i = 0; i < info.width * info.height; i++) {
    ga[i * 2] = data[i];
    ga[i * 2 + 1] = Math.round(((i % info.width) / (info.width - 1)) * 255);
  }
  await sharp(ga, { raw: { width: info.width, height: info.height, channels: 2 } }).toColourspace('b-w').png().toFile(join(fixtures, 'grey-alpha.png'));
}
console.log(`fixture images written to ${fixtures}`);
