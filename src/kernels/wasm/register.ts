/** The wasm backend's kernels: the host kernels (WebAssembly SIMD) reading and writing the backend's heap. */
import type { BackendKernels } from '../backend_kernels.js';
import { colorTransformConfig } from './color_transform_kernel.js';
import { affineConfig } from './affine_kernel.js';
import { momentsConfig } from './moments_kernel.js';

export const wasmKernels: BackendKernels = { backendName: 'wasm', fused: true, configs: [affineConfig, momentsConfig, colorTransformConfig], packings: ['uint8x4', 'uint16x2', 'float64'], compositePackings: [] };
