/**
 * The parts of tfjs-backend-wasm's BackendWasm the kernels use, as its own
 * kernels use them: `makeOutput` allocates an output in the backend's heap and
 * `typedArrayFromHeap` views a tensor's bytes there.
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';

/** What a wasm kernel needs from its backend. */
export interface WasmKernelBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): ArrayLike<number>;
  disposeData(dataId: object): boolean;
}

const isWasmBackend = (backend: unknown): backend is WasmKernelBackend =>
  typeof backend === 'object' &&
  backend !== null &&
  'makeOutput' in backend &&
  typeof backend.makeOutput === 'function' &&
  'typedArrayFromHeap' in backend &&
  typeof backend.typedArrayFromHeap === 'function' &&
  'dataIdMap' in backend;

/** @throws PixelprepError E_BACKEND when `backend` is not tfjs-backend-wasm's. */
export function wasmBackendOf(backend: unknown, kernelName: string): WasmKernelBackend {
  if (!isWasmBackend(backend)) throw new PixelprepError('E_BACKEND', `Expected tfjs-backend-wasm's backend to run '${kernelName}' but received another`);
  return backend;
}

/** The input tensor of a kernel, or E_ARGUMENT. */
export function inputOf(x: TensorInfo | undefined, kernelName: string): TensorInfo {
  if (!x) throw new PixelprepError('E_ARGUMENT', `Expected input x for '${kernelName}' but received none`);
  return x;
}
