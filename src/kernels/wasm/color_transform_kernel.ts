/** PixelprepColorTransform on the wasm backend: the float64 host loop from and into the backend's heap. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { PixelprepColorTransform, type PixelprepColorTransformAttrs } from '../../core/kernel_names.js';
import { colorTransformHost } from '../host/color_transform_kernel.js';
import { kernelPixels } from '../host/kernel_io.js';
import { inputOf, wasmBackendOf } from './wasm_backend.js';

function colorTransform({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const wasm = wasmBackendOf(backend, PixelprepColorTransform);
  const x = inputOf(inputs.x, PixelprepColorTransform);
  const a = attrs as PixelprepColorTransformAttrs;
  const out = wasm.makeOutput(a.shape, 'float32');
  try {
    // Viewed after the output is made: making it may grow the heap and detach older views.
    colorTransformHost(kernelPixels(wasm.typedArrayFromHeap(x), a), a, wasm.typedArrayFromHeap(out) as Float32Array);
  } catch (error) {
    wasm.disposeData(out.dataId);
    throw error;
  }
  return out;
}

export const colorTransformConfig: KernelConfig = { kernelName: PixelprepColorTransform, backendName: 'wasm', kernelFunc: colorTransform };
