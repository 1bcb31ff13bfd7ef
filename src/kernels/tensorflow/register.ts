/**
 * The tensorflow (tfjs-node) backend's kernels: the composite op chain inside
 * the kernel, so libtensorflow runs each op (on CUDA where present). Raw uint8
 * arrives packed four to an int32 word and is unpacked on the device: one byte
 * per pixel crosses to the device instead of four.
 */
import type { BackendKernels } from '../backend_kernels.js';
import { compositeKernelConfigs } from '../ops/composite_kernels.js';

export const tensorflowKernels: BackendKernels = {
  backendName: 'tensorflow',
  fused: false,
  configs: compositeKernelConfigs('tensorflow'),
  packings: ['uint8x4', 'uint16x2'],
  compositePackings: ['uint8x4', 'uint16x2'],
};
