/**
 * The parts of tfjs-backend-cpu's MathBackendCPU the kernels use: its public
 * `data` storage and `makeTensorInfo`, as its own kernels use them.
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';

interface CpuStorage {
  get(dataId: object): { values?: unknown };
}

/** What a cpu kernel needs from its backend. */
export interface CpuKernelBackend {
  valuesOf(x: TensorInfo | undefined): unknown;
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array | Int32Array): TensorInfo;
}

interface MathBackendCpuLike {
  data: CpuStorage;
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array | Int32Array): TensorInfo;
}

const isCpuBackend = (backend: unknown): backend is MathBackendCpuLike =>
  typeof backend === 'object' && backend !== null && 'data' in backend && 'makeTensorInfo' in backend && typeof backend.makeTensorInfo === 'function';

/** @throws PixelprepError E_BACKEND when `backend` is not tfjs-backend-cpu's. */
export function cpuBackendOf(backend: unknown, kernelName: string): CpuKernelBackend {
  if (!isCpuBackend(backend)) throw new PixelprepError('E_BACKEND', `Expected tfjs-backend-cpu's backend to run '${kernelName}' but received another`);
  return {
    valuesOf: (x) => {
      if (!x) throw new PixelprepError('E_ARGUMENT', `Expected input x for '${kernelName}' but received none`);
      return backend.data.get(x.dataId).values;
    },
    makeTensorInfo: (shape, dtype, values) => backend.makeTensorInfo(shape, dtype, values),
  };
}
