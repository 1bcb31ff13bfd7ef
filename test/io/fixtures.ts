/** Paths and readers for the committed samples and reference fixtures. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SAMPLES = `${ROOT}samples`;
export const sample = (name: string): string => `${SAMPLES}/${name}`;

export interface PillowReference {
  file: string;
  options: Record<string, unknown>;
  shape: number[];
  dtype: 'uint8' | 'uint16';
  sha256: string;
  mean: number[];
  pillow: string;
}

/** test/fixtures/pillow/reference.json, written by scripts/pillow_reference.py. */
export const pillowReference = (): { pillow: string; libjpeg: string; libjpeg_turbo: string; entries: PillowReference[] } =>
  JSON.parse(readFileSync(`${ROOT}test/fixtures/pillow/reference.json`, 'utf8'));

/** SHA-256 of a typed array's bytes (little-endian, as numpy's tobytes on this machine). */
export const sha256 = (data: ArrayBufferView): string =>
  createHash('sha256').update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest('hex');

/** Float64 mean of channel c of interleaved data with `channels` channels (a plain loop, the test's reference). */
export function channelMean(data: ArrayLike<number>, channels: number, c: number): number {
  let sum = 0;
  for (let i = c; i < data.length; i += channels) sum += data[i];
  return sum / (data.length / channels);
}
