/** Raw batches as tfjs tensors, for code that wants tensors rather than pixelprep's raw input. */
import * as tf from '@tensorflow/tfjs-core';
import { inspectInput, type RawBatch } from '../core/input.js';

/**
 * Uploads a raw batch as a tensor: integer data as int32 (tfjs has no uint8), float data as float32.
 * The caller owns (and disposes) the tensor.
 * @example
 * const x = rawToTensor(batch); // int32 [N, H, W, C]
 * @throws PixelprepError E_SHAPE or E_DTYPE when data and shape disagree.
 */
export function rawToTensor(batch: RawBatch): tf.Tensor {
  const { dtype, geometry } = inspectInput(batch, {}, 'batch');
  const shape = [...geometry.shape];
  if (dtype === 'float32' || dtype === 'float64') return tf.tensor(Float32Array.from(batch.data), shape, 'float32');
  return tf.tensor(Int32Array.from(batch.data), shape, 'int32');
}
