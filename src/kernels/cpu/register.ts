/** The cpu backend's kernels: the float64 host kernels on the backend's own arrays. */
import { colorTransformConfig } from './color_transform.js';
import { affineConfig } from './affine.js';
import { momentsConfig } from './moments.js';
import type { BackendKernels } from '../backend_kernels.js';

export const cpuKernels: BackendKernels = { backendName: 'cpu', fused: true, configs: [affineConfig, momentsConfig, colorTransformConfig], packings: ['uint8x4', 'uint16x2', 'float64'], compositePackings: ['uint8x4', 'uint16x2'] };
