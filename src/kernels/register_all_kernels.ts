/**
 * Registers pixelprep's kernels with tfjs, as tfjs' register_all_kernels.ts
 * does: PixelprepAffine, PixelprepMoments and PixelprepColorTransform for every backend in
 * BACKEND_KERNELS, the gradient of PixelprepAffine once, and the kernels layer
 * into core (so core calls only `engine().runKernel`). Any other backend gets
 * the composite kernels the first time it runs one (KernelProvider.registerFallback).
 *
 * Adding a backend is a folder under kernels/ exporting its BackendKernels,
 * and one line in BACKEND_KERNELS.
 */
import * as tf from '@tensorflow/tfjs-core';
import { installKernelProvider, type KernelProvider } from '../core/kernel_registry.js';
import { affineGradConfig } from './affine_grad.js';
import type { BackendKernels } from './backend_kernels.js';
import { cpuKernels } from './cpu/register.js';
import { affineCpu } from './host/affine.js';
import { momentRecordsOf } from './host/kernel_io.js';
import { affineOps } from './ops/affine_ops.js';
import { colorTransformOps } from './ops/color_transform_ops.js';
import { compositeKernelConfigs } from './ops/composite_kernels.js';
import { tensorflowKernels } from './tensorflow/register.js';
import { wasmKernels } from './wasm/register.js';
import { webglKernels } from './webgl/register.js';
import { webgpuKernels } from './webgpu/register.js';

/** Every backend with kernels of its own. */
export const BACKEND_KERNELS: readonly BackendKernels[] = [cpuKernels, wasmKernels, webgpuKernels, webglKernels, tensorflowKernels];

/**
 * One line for `pixelprep info`: which backends run the plan fused, which as
 * tfjs ops inside the kernel, and what every other backend gets.
 */
export function describeKernels(): string {
  const fused = BACKEND_KERNELS.filter((b) => b.fused).map((b) => b.backendName);
  const ops = BACKEND_KERNELS.filter((b) => !b.fused).map((b) => b.backendName);
  return `fused kernels: ${fused.join(', ')}; tfjs ops inside the kernel: ${ops.join(', ')}; any other backend: the tfjs op chain`;
}

const byName = (name: string) => BACKEND_KERNELS.find((b) => b.backendName === name);

for (const backend of BACKEND_KERNELS) {
  for (const config of backend.configs) tf.registerKernel(config);
}
tf.registerGradient(affineGradConfig);

const provider: KernelProvider = {
  fusedBackends: BACKEND_KERNELS.filter((b) => b.fused).map((b) => b.backendName),
  registeredBackends: BACKEND_KERNELS.map((b) => b.backendName),
  registerFallback: (backendName) => {
    for (const config of compositeKernelConfigs(backendName)) {
      if (!tf.getKernel(config.kernelName, backendName)) tf.registerKernel(config);
    }
  },
  affineOps,
  colorTransformOps,
  affineHost: (host, coefficients, out) => affineCpu(host.data, host.geometry, coefficients, out),
  momentsHost: momentRecordsOf,
  readsSynchronously: (name) => byName(name)?.readsSynchronously ?? true,
  // Backends without kernels of their own (webgl keeps int32 in float32) get unpacked int32.
  packings: (name, composite) => (composite ? byName(name)?.compositePackings : byName(name)?.packings) ?? [],
};
installKernelProvider(provider);
