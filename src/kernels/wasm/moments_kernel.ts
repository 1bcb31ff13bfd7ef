/** PixelprepMoments on the wasm backend: the float64 host accumulator over the input in the backend's heap. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { PixelprepMoments, type PixelprepMomentsAttrs } from '../../core/kernel_names.js';
import { MOMENT_RECORD_WORDS } from '../../core/moment_partials.js';
import { kernelPixels, momentRecordsOf } from '../host/kernel_io.js';
import { inputOf, wasmBackendOf } from './wasm_backend.js';

function moments({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const wasm = wasmBackendOf(backend, PixelprepMoments);
  const a = attrs as PixelprepMomentsAttrs;
  const words = momentRecordsOf(kernelPixels(wasm.typedArrayFromHeap(inputOf(inputs.x, PixelprepMoments)), a), a.perImage);
  const out = wasm.makeOutput([words.length / MOMENT_RECORD_WORDS, MOMENT_RECORD_WORDS], 'int32');
  (wasm.typedArrayFromHeap(out) as Int32Array).set(words);
  return out;
}

export const momentsConfig: KernelConfig = { kernelName: PixelprepMoments, backendName: 'wasm', kernelFunc: moments };
