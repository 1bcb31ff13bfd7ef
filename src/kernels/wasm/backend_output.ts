/**
 * The fused kernel's output made directly in the tfjs wasm backend's heap.
 *
 * The wasm backend keeps tensor data inside its WebAssembly heap, whose memory
 * it reuses. Allocating the output there and letting the CPU kernel write into
 * a view of it gives a float32 tensor with one pass over memory, no fresh
 * JavaScript allocation (whose first touch is page faults) and no upload copy.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HostPixels } from '../../core/input.js';
import type { AffineCoefficients } from '../../core/plan.js';
import { affineCpu } from '../host/affine.js';

/** What the wasm backend offers for outputs it holds (its public `makeOutput` / `typedArrayFromHeap`). */
interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

function heapBackend(): HeapBackend | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend: unknown = tf.backend();
  const makeOutput: unknown = Reflect.get(Object(backend), 'makeOutput');
  const typedArrayFromHeap: unknown = Reflect.get(Object(backend), 'typedArrayFromHeap');
  if (typeof makeOutput !== 'function' || typeof typedArrayFromHeap !== 'function') return null;
  return {
    makeOutput: (shape, dtype) => makeOutput.call(backend, shape, dtype) as tf.TensorInfo,
    typedArrayFromHeap: (info) => typedArrayFromHeap.call(backend, info) as Float32Array,
  };
}

/**
 * Runs the plan's coefficients over `host` into a new float32 tensor that lives
 * in the wasm backend's heap, or returns null when the current backend is not
 * 'wasm' (the caller then allocates on the host as usual). Values are those of
 * `affineCpu`: float64 arithmetic rounded once. The caller has checked the
 * plan fits and the data is finite.
 *
 * @example
 * const y = affineIntoWasmHeap(readHostPixels(x, {}), plan.coefficients) ?? fallback();
 */
export function affineIntoWasmHeap(host: HostPixels, coefficients: AffineCoefficients): tf.Tensor | null {
  const backend = heapBackend();
  if (!backend) return null;
  const shape = [...host.geometry.shape];
  const info = backend.makeOutput(shape, 'float32');
  try {
    affineCpu(host.data, host.geometry, coefficients, backend.typedArrayFromHeap(info));
  } catch (error) {
    tf.backend().disposeData(info.dataId);
    throw error;
  }
  return tf.engine().makeTensorFromTensorInfo(info);
}
