/**
 * Any pixel input as the tensor a kernel reads. Tensors pass as they are; raw
 * batches become one tensor, packed where the backend's kernels read packed
 * words: uint8 four to an int32 word and uint16 two (a zero-copy view when the
 * bytes are aligned and fill whole words, else a zero-padded copy), float64 as
 * its bits for the float64 host kernels. Host float data is checked for
 * NaN/±Infinity here, where it is cheap.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertFinite, isRawBatch, type PixelArray, type PixelInput } from './input.js';
import type { PixelPacking } from './kernel_names.js';
import type { Geometry } from './layout.js';

/** A kernel's input: dispose the tensor after use when `owned`. */
export interface KernelInput {
  readonly tensor: tf.Tensor;
  readonly packing: PixelPacking;
  /** True when the tensor was made here; false for the caller's tensor. */
  readonly owned: boolean;
}

/** The tensor for `x`, using a packing among `packings` where one fits its data. */
export function kernelInput(x: PixelInput, g: Geometry, packings: readonly PixelPacking[]): KernelInput {
  if (!isRawBatch(x)) return { tensor: x, packing: 'none', owned: false };
  const data = x.data;
  const shape = g.shape as number[];
  const packed = (words: Int32Array, packing: PixelPacking): KernelInput => ({ tensor: tf.tensor1d(words, 'int32'), packing, owned: true });
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) {
    return packings.includes('uint8x4') ? packed(packWords(data, 4), 'uint8x4') : owned(tf.tensor(Int32Array.from(data), shape, 'int32'));
  }
  if (data instanceof Uint16Array) {
    return packings.includes('uint16x2') ? packed(packWords(data, 2), 'uint16x2') : owned(tf.tensor(Int32Array.from(data), shape, 'int32'));
  }
  if (data instanceof Int32Array) return owned(tf.tensor(data, shape, 'int32'));
  assertFinite(data);
  if (data instanceof Float64Array && packings.includes('float64')) return packed(new Int32Array(data.buffer, data.byteOffset, 2 * data.length), 'float64');
  return owned(tf.tensor(data instanceof Float32Array ? data : Float32Array.from(data), shape, 'float32'));
}

const owned = (tensor: tf.Tensor): KernelInput => ({ tensor, packing: 'none', owned: true });

/**
 * The bytes of `data` as 32-bit words, `perWord` values to a word: a view when
 * the data is aligned and fills whole words, else a zero-padded copy.
 */
export function packWords(data: Uint8Array | Uint8ClampedArray | Uint16Array, perWord: 2 | 4): Int32Array {
  const words = Math.ceil(data.length / perWord);
  if (data.byteOffset % 4 === 0 && data.length % perWord === 0) return new Int32Array(data.buffer, data.byteOffset, words);
  const padded = new Int32Array(words);
  (data instanceof Uint16Array ? new Uint16Array(padded.buffer) : new Uint8Array(padded.buffer)).set(data);
  return padded;
}

/**
 * The pixel values a kernel's input holds, as the host reads them: packed words
 * reinterpreted (no copy), other data as it is.
 */
export function unpackedView(values: Int32Array | Float32Array, packing: PixelPacking, size: number): PixelArray {
  const { buffer, byteOffset } = values;
  if (packing === 'uint8x4') return new Uint8Array(buffer, byteOffset, size);
  if (packing === 'uint16x2') return new Uint16Array(buffer, byteOffset, size);
  if (packing === 'float64') return new Float64Array(buffer, byteOffset, size);
  return values;
}
