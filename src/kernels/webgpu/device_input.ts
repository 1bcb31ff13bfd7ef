/**
 * Pixel input as the WebGPU programs read it: a tensor on the webgpu backend
 * plus the encoding of its buffer. uint8 and uint16 raw batches are packed
 * four (two) values to a 32-bit word on the host, so the upload moves a
 * quarter (half) of the bytes an int32 or float32 upload would.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';
import { assertFinite, isRawBatch, type PixelInput } from '../../core/input.js';
import { packWords } from '../../core/kernel_input.js';

export { packWords };
import type { PixelPacking } from '../../core/kernel_names.js';
import type { Geometry } from '../../core/layout.js';
import type { InputEncoding } from './affine_program.js';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { PixelprepWebGpuBackend } from './webgpu_backend.js';

/** The programs' input: a 1-D tensor to dispose after use when `owned`. */
export interface DeviceInput {
  readonly tensor: tf.Tensor;
  readonly encoding: InputEncoding;
  /** True when the tensor was made here (dispose it); false for the caller's tensor. */
  readonly owned: boolean;
  /** True when float values were not checked on the host: the kernel's output is scanned when read. */
  readonly unchecked: boolean;
}

/**
 * Encodes `x` for the device. Host float data is checked for NaN/±Infinity
 * here (E_VALUE); float tensors whose values are only on the GPU are checked
 * by the kernels themselves.
 */
export function deviceInput(x: PixelInput, g: Geometry, backend: PixelprepWebGpuBackend): DeviceInput {
  const size = g.images * g.channels * g.pixels;
  if (!isRawBatch(x)) {
    const buffer = backend.tensorMap.get(x.dataId);
    // The buffer's dtype, not the tensor's: a float32 tensor may still sit on an int32 buffer.
    const encoding: InputEncoding = buffer.dtype === 'float32' ? 'f32' : 'i32';
    const host = backend.hostValues(x.dataId);
    if (encoding === 'f32' && host instanceof Float32Array) assertFinite(host);
    return { tensor: x, encoding, owned: false, unchecked: encoding === 'f32' && !(host instanceof Float32Array) };
  }
  const data = x.data;
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return owned(tf.tensor1d(packWords(data, 4), 'int32'), 'u8x4');
  if (data instanceof Uint16Array) return owned(tf.tensor1d(packWords(data, 2), 'int32'), 'u16x2');
  if (data instanceof Int32Array) return owned(tf.tensor1d(data, 'int32'), 'i32');
  assertFinite(data);
  const floats = data instanceof Float32Array ? data : Float32Array.from(data);
  return owned(tf.tensor1d(floats.length === size ? floats : floats.subarray(0, size), 'float32'), 'f32');
}

/**
 * Throws E_SHAPE when `g` does not fit one storage buffer binding of the
 * device (4 bytes per value, the float32 output) or 32-bit indexing.
 */
export function checkFitsDevice(g: Geometry, backend: PixelprepWebGpuBackend): void {
  const values = g.images * g.channels * g.pixels;
  const limit = Math.min(backend.device.limits.maxStorageBufferBindingSize, 2 ** 31 - 1);
  if (values * 4 > limit) {
    throw new PixelprepError(
      'E_SHAPE',
      `Expected at most ${Math.floor(limit / 4)} values (this device binds ${limit} bytes per buffer) but received shape [${g.shape.join(',')}] with ${values}; split the batch`,
    );
  }
}

const owned = (tensor: tf.Tensor, encoding: InputEncoding): DeviceInput => ({ tensor, encoding, owned: true, unchecked: false });

/**
 * The programs' encoding of a kernel input: packed words as packed, else the
 * buffer's dtype (not the tensor's: a float32 tensor may still sit on an int32 buffer).
 * @throws PixelprepError E_DTYPE for a packing the programs do not read.
 */
export function encodingOf(packing: PixelPacking, x: TensorInfo, backend: PixelprepWebGpuBackend): InputEncoding {
  if (packing === 'uint8x4') return 'u8x4';
  if (packing === 'uint16x2') return 'u16x2';
  if (packing !== 'none') throw new PixelprepError('E_DTYPE', `Expected input packed as uint8x4, uint16x2 or none for the webgpu kernels but received '${packing}'`);
  return backend.tensorMap.get(x.dataId).dtype === 'float32' ? 'f32' : 'i32';
}
