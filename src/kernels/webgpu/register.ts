/**
 * The webgpu backend's kernels: WGSL programs run by pixelprep's webgpu
 * backend (backends/webgpu/register.ts installs it). Its tensors cannot be read
 * synchronously in Node, so synchronous statistics read the pixels on the host
 * and `computeStatsOnDevice` reduces on the device.
 */
import { PixelprepColorTransform } from '../../core/kernel_names.js';
import type { BackendKernels } from '../backend_kernels.js';
import { compositeKernelConfigs } from '../ops/composite_kernels.js';
import { affineKernelConfig } from './affine_kernel.js';
import { momentsKernelConfig } from './device_stats.js';

export const webgpuKernels: BackendKernels = {
  backendName: 'webgpu',
  fused: true,
  // The colour transform runs as tfjs ops (matMul) inside the kernel.
  configs: [affineKernelConfig, momentsKernelConfig, ...compositeKernelConfigs('webgpu').filter((c) => c.kernelName === PixelprepColorTransform)],
  packings: ['uint8x4', 'uint16x2'],
  // tfjs 4.22's WGSL for int32 mod does not compile: the op chain gets int32 pixels.
  compositePackings: [],
  readsSynchronously: false,
};
