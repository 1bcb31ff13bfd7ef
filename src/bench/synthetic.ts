/**
 * Deterministic image-like pixel batches for the benchmark: smooth gradients
 * with a little noise, so runs of similar values occur as in photographs
 * (which matters to histogram statistics) while every value 0..255 appears.
 */
import type { RawBatch } from '../core/input.js';
import { caseShape, caseValues, type BenchCase } from './grid.js';

/** A [batch, size, size, 3] batch of uint8 (or the same values as float32). */
export function syntheticBatch(c: Pick<BenchCase, 'batch' | 'size' | 'dtype'>): RawBatch {
  const values = caseValues(c);
  const data = c.dtype === 'uint8' ? new Uint8Array(values) : new Float32Array(values);
  let seed = 0x9e3779b9;
  let i = 0;
  for (let n = 0; n < c.batch; n++) {
    for (let y = 0; y < c.size; y++) {
      for (let x = 0; x < c.size; x++) {
        // xorshift32: 4 bits of noise per pixel
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        const noise = seed & 15;
        const base = ((x * 256) / c.size + (y * 128) / c.size + n * 37 + noise) | 0;
        data[i++] = base & 255;
        data[i++] = (base + 85) & 255;
        data[i++] = (base * 3 + 170) & 255;
      }
    }
  }
  return { data, shape: caseShape(c) };
}
