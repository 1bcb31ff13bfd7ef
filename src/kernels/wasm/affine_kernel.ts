/**
 * PixelprepAffine on the wasm backend: the host kernel reads the input where
 * it lies in the backend's heap and writes the output into the heap: one pass,
 * no fresh JavaScript allocation (whose first touch is page faults), no upload.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { coefficientsOfAttrs } from '../../core/kernel_attrs.js';
import { PixelprepAffine, type PixelprepAffineAttrs } from '../../core/kernel_names.js';
import { affineCpu } from '../host/affine.js';
import { kernelPixels } from '../host/kernel_io.js';
import { inputOf, wasmBackendOf } from './wasm_backend.js';

function affine({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const wasm = wasmBackendOf(backend, PixelprepAffine);
  const x = inputOf(inputs.x, PixelprepAffine);
  const a = attrs as PixelprepAffineAttrs;
  const out = wasm.makeOutput(a.shape, 'float32');
  try {
    // The input is viewed after the output is made: making it may grow the heap and detach older views.
    const host = kernelPixels(wasm.typedArrayFromHeap(x), a);
    affineCpu(host.data, host.geometry, coefficientsOfAttrs(a), wasm.typedArrayFromHeap(out) as Float32Array);
  } catch (error) {
    wasm.disposeData(out.dataId);
    throw error;
  }
  return out;
}

export const affineConfig: KernelConfig = { kernelName: PixelprepAffine, backendName: 'wasm', kernelFunc: affine };
