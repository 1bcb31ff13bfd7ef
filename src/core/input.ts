/**
 * Inputs: a tf.Tensor (int32 or float32) or a raw batch straight from a decoder.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from './errors.js';
import { resolveGeometry, valueCount, type Geometry, type GeometryOptions } from './layout.js';
import { describe, isPlainObject } from './validate.js';

/** Typed arrays accepted as raw pixel data. */
export type PixelArray = Uint8Array | Uint8ClampedArray | Uint16Array | Int32Array | Float32Array | Float64Array;

/** Pixels as they come from a decoder: `{ data, shape }`, e.g. `{ data: rgb, shape: [224, 224, 3] }`. */
export interface RawBatch {
  readonly data: PixelArray;
  readonly shape: readonly number[];
}

/** Anything pixelprep scales. */
export type PixelInput = tf.Tensor | RawBatch;

/** Element types of pixel data, named as numpy names them. */
export type PixelDtype = 'uint8' | 'uint16' | 'int32' | 'float32' | 'float64';

export function pixelDtypeOf(data: PixelArray): PixelDtype {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

const isPixelArray = (value: unknown): value is PixelArray =>
  value instanceof Uint8Array ||
  value instanceof Uint8ClampedArray ||
  value instanceof Uint16Array ||
  value instanceof Int32Array ||
  value instanceof Float32Array ||
  value instanceof Float64Array;

export const isRawBatch = (value: unknown): value is RawBatch =>
  isPlainObject(value) && 'data' in value && 'shape' in value;

/** Pixel data made readable on the host, with its geometry. */
export interface HostPixels {
  readonly data: PixelArray;
  readonly dtype: PixelDtype;
  readonly geometry: Geometry;
}

/** Checks the input and resolves its geometry without reading tensor data. */
export function inspectInput(x: unknown, options: GeometryOptions, name = 'x'): { geometry: Geometry; dtype: PixelDtype } {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new PixelprepError('E_ARGUMENT', `Expected a live tensor for ${name} but received a disposed tensor`);
    if (x.dtype !== 'int32' && x.dtype !== 'float32') {
      throw new PixelprepError('E_DTYPE', `Expected a tensor of dtype int32 or float32 for ${name} but received dtype ${x.dtype}`);
    }
    if (x.size === 0) throw new PixelprepError('E_SHAPE', `Expected a non-empty tensor for ${name} but received shape [${x.shape.join(',')}]`);
    return { geometry: resolveGeometry(x.shape, options), dtype: x.dtype };
  }
  if (!isRawBatch(x)) {
    throw new PixelprepError('E_ARGUMENT', `Expected a tf.Tensor or a raw batch { data, shape } for ${name} but received ${describe(x)}`);
  }
  if (!isPixelArray(x.data)) {
    throw new PixelprepError(
      'E_DTYPE',
      `Expected ${name}.data to be a Uint8Array, Uint8ClampedArray, Uint16Array, Int32Array, Float32Array or Float64Array but received ${describe(x.data)}`,
    );
  }
  if (!Array.isArray(x.shape)) throw new PixelprepError('E_SHAPE', `Expected ${name}.shape to be an array of dimensions but received ${describe(x.shape)}`);
  const geometry = resolveGeometry(x.shape, options);
  if (valueCount(geometry) !== x.data.length) {
    throw new PixelprepError(
      'E_SHAPE',
      `Expected ${name}.data to hold ${valueCount(geometry)} values for shape [${x.shape.join(',')}] but received ${x.data.length}`,
    );
  }
  return { geometry, dtype: pixelDtypeOf(x.data) };
}

/** Reads the input's values on the host (a tensor is downloaded; a raw batch is used as is). */
export function readHostPixels(x: PixelInput, options: GeometryOptions, name = 'x'): HostPixels {
  return hostPixelsOf(x, inspectInput(x, options, name).geometry);
}

/** The input's values on the host, for an input already inspected. */
export function hostPixelsOf(x: PixelInput, geometry: Geometry): HostPixels {
  const data = x instanceof tf.Tensor ? (x.dataSync() as Int32Array | Float32Array) : x.data;
  return { data, dtype: pixelDtypeOf(data), geometry };
}

/** Throws E_VALUE at the first NaN or ±Infinity. Integer data cannot hold either and is not scanned. */
export function assertFinite(data: PixelArray, name = 'x'): void {
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) return;
  const n = data.length;
  let acc = 0;
  // x * 0 is NaN exactly for NaN and ±Infinity; summing keeps the loop branch-free.
  for (let i = 0; i < n; i++) acc += data[i] * 0;
  if (acc === 0) return;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(data[i])) {
      throw new PixelprepError('E_VALUE', `Expected finite pixel values in ${name} but received ${data[i]} at flat index ${i}`);
    }
  }
}
