/**
 * The two linear maps whitening needs:
 *
 * - per pixel, a C×C matrix:      y = A (x - before) + after
 *   (the PixelprepColorTransform kernel; its host loop is kernels/host/color_transform.ts)
 * - per sample of D values:       y = Vᵀ diag(g) V (x - before) + after
 *   (here, on the host in float64 and as tfjs ops)
 *
 * The second is kept factorised: two D×D products per sample instead of
 * forming Vᵀ diag(g) V, which would cost O(D³) each time it changes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../core/errors.js';
import { assertFinite, isRawBatch, type PixelArray, type PixelInput } from '../core/input.js';
import type { Geometry } from '../core/layout.js';
import { guardFinite } from '../kernels/ops/finite_guard.js';
import { addRowDots } from './row_dots.js';

export { pixelMapHost, type PixelMap } from '../kernels/host/color_transform.js';

/** y = Vᵀ diag(gain) V (x - before) + after for every sample of D values, V row-major D×D. */
export interface SampleMap {
  vectors: Float64Array;
  gain: Float64Array;
  before: Float64Array;
  after: Float64Array;
}

/** Samples per block in the host sample map: the block's intermediate stays small. */
const SAMPLE_BLOCK = 32;

export function sampleMapHost(data: PixelArray, samples: number, D: number, map: SampleMap, out: Float32Array): void {
  const { vectors: V, gain, before, after } = map;
  // y = Vᵀ diag(gain) V (x - before) + after as two rounds of row dot products. The
  // D×D matrix is the outer operand, so it streams through the cache once per block of samples.
  const Vt = new Float64Array(D * D);
  for (let k = 0; k < D; k++) for (let j = 0; j < D; j++) Vt[j * D + k] = V[k * D + j];
  const block = Math.min(SAMPLE_BLOCK, samples);
  const centred = new Float64Array(block * D);
  const projected = new Float64Array(block * D);
  const transposed = new Float64Array(D * block);
  for (let first = 0; first < samples; first += block) {
    const count = Math.min(block, samples - first);
    for (let b = 0; b < count; b++) {
      const from = (first + b) * D;
      for (let j = 0; j < D; j++) centred[b * D + j] = data[from + j] - before[j];
    }
    // transposed[k][b] = V[k] · centred[b]; projected[b][k] = gain[k] · transposed[k][b]
    transposed.fill(0);
    addRowDots({ data: V, rows: D, stride: D }, { data: centred, rows: count, stride: D }, D, transposed, count);
    for (let k = 0; k < D; k++) for (let b = 0; b < count; b++) projected[b * D + k] = gain[k] * transposed[k * count + b];
    // transposed[j][b] = Vᵀ[j] · projected[b] = Σ_k V[k][j] · projected[b][k]
    transposed.fill(0);
    addRowDots({ data: Vt, rows: D, stride: D }, { data: projected, rows: count, stride: D }, D, transposed, count);
    for (let b = 0; b < count; b++) {
      const to = (first + b) * D;
      for (let j = 0; j < D; j++) out[to + j] = transposed[j * count + b] + after[j];
    }
  }
}

/** The input as a float32 tensor (raw batches uploaded as float32, never int32); host data is checked for NaN/Infinity here. */
function floatTensor(x: PixelInput, g: Geometry): tf.Tensor {
  if (isRawBatch(x)) {
    assertFinite(x.data);
    const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
    return tf.tensor(data, g.shape as number[], 'float32');
  }
  return x.dtype === 'float32' ? x : tf.cast(x, 'float32');
}

/** Rejects NaN/±Infinity in a float tensor input (finite_guard.ts: checked now, or when the output is read on webgpu). */
function guardFloatInput(x: PixelInput, output: tf.Tensor): tf.Tensor {
  if (!isRawBatch(x) && x.dtype === 'float32') guardFinite(x, output);
  return output;
}

export function sampleMapOps(x: PixelInput, g: Geometry, D: number, map: SampleMap): tf.Tensor {
  if (g.images * D !== g.images * g.channels * g.pixels) {
    throw new PixelprepError('E_SHAPE', `Expected samples of ${D} values but received shape [${g.shape.join(',')}]`);
  }
  const output = tf.tidy(() => {
    const input = tf.reshape(floatTensor(x, g), [g.images, D]);
    const V = tf.tensor2d(Float32Array.from(map.vectors), [D, D]);
    const gain = tf.tensor2d(Float32Array.from(map.gain), [1, D]);
    const before = tf.tensor2d(Float32Array.from(map.before), [1, D]);
    const after = tf.tensor2d(Float32Array.from(map.after), [1, D]);
    const projected = tf.mul(tf.matMul(tf.sub(input, before), V, false, true), gain);
    return tf.reshape(tf.add(tf.matMul(projected, V), after), g.shape as number[]);
  });
  return guardFloatInput(x, output);
}
