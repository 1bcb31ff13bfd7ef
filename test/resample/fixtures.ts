/** The Pillow resize reference (scripts/pil_resize_reference.py) and the sources it names. */
import { readFileSync } from 'node:fs';
import { decodeImage } from '../../src/node/decode_image.js';
import type { PilResizeOptions } from '../../src/resample/options.js';
import { ROOT, sample } from '../io/fixtures.js';

export type ReferenceSource =
  | { kind: 'sample'; file: string; channels: 1 | 3 | 4 }
  | { kind: 'generated'; width: number; height: number; channels: 1 | 3 | 4; seed: number };

export interface ResizeReference {
  source: ReferenceSource;
  options: PilResizeOptions;
  shape: [number, number, number];
  sha256: string;
}

export const resizeReference = (): { pillow: string; entries: ResizeReference[] } =>
  JSON.parse(readFileSync(`${ROOT}test/fixtures/pillow/resize_reference.json`, 'utf8'));

export interface Image8 {
  data: Uint8Array;
  shape: [number, number, number];
}

/**
 * The script's generated image: a 32-bit LCG (state·1664525 + 1013904223 mod 2^32),
 * its top byte per sample; RGBA alpha pushed to 0 below 48 and 255 from 208.
 */
export function generated(width: number, height: number, channels: number, seed: number): Image8 {
  const data = new Uint8Array(width * height * channels);
  let state = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state >>> 24;
  }
  if (channels === 4) {
    for (let i = 3; i < data.length; i += 4) data[i] = data[i] < 48 ? 0 : data[i] >= 208 ? 255 : data[i];
  }
  return { data, shape: [height, width, channels] };
}

const decoded = new Map<string, Promise<Image8>>();

/** The source image of a case (photographs decoded once, with the Pillow-exact decoder). */
export function loadSource(source: ReferenceSource): Promise<Image8> {
  if (source.kind === 'generated') return Promise.resolve(generated(source.width, source.height, source.channels, source.seed));
  const key = `${source.file}:${source.channels}`;
  let image = decoded.get(key);
  if (!image) {
    image = decodeImage(sample(source.file), { channels: source.channels }).then((d) => {
      if (!(d.data instanceof Uint8Array)) throw new Error(`${source.file} decoded to 16 bits`);
      return { data: d.data, shape: [d.shape[0], d.shape[1], d.shape[2]] };
    });
    decoded.set(key, image);
  }
  return image;
}
