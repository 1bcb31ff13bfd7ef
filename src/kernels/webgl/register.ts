/**
 * The webgl backend's kernels, as register_all_kernels.ts lists them:
 * PixelprepAffine in one fragment pass (affine_kernel.ts), PixelprepMoments
 * as exact block sums on the GPU merged on the host in float64 and handed to
 * core as moment records, and the colour transform as tfjs ops. The types of
 * tfjs-backend-webgl are all it imports, so loading pixelprep without that
 * optional peer costs nothing.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { PixelprepAffine, PixelprepColorTransform, PixelprepMoments, type PixelprepAffineAttrs, type PixelprepMomentsAttrs } from '../../core/kernel_names.js';
import { MOMENT_RECORD_WORDS, encodeMomentRecords } from '../../core/moment_partials.js';
import type { BackendKernels } from '../backend_kernels.js';
import { compositeKernelConfigs } from '../ops/composite_kernels.js';
import { probeFiniteInput } from '../ops/finite_guard.js';
import { affineKernelConfig } from './affine_kernel.js';
import { mergeMomentBlocks, momentsKernelConfig } from './moments_kernel.js';
import { webglBackendFor } from './webgl_backend.js';

/** The affine pass, after a NaN/±Infinity probe of float32 input (the shader does not check its input). */
const affine: KernelFunc = (args) => {
  const a = args.attrs as PixelprepAffineAttrs;
  const x = args.inputs.x;
  if (x && a.packing === 'none' && x.dtype === 'float32') probeFiniteInput(webglBackendFor(args.backend, PixelprepAffine), x);
  return affineKernelConfig.kernelFunc(args) as TensorInfo;
};

/** The block sums read back (the op reads its output synchronously anyway) and merged in float64 into moment records. */
const moments: KernelFunc = (args) => {
  const gl = webglBackendFor(args.backend, PixelprepMoments);
  const blocks = momentsKernelConfig.kernelFunc(args) as TensorInfo;
  let values: ArrayLike<number>;
  try {
    values = gl.readSync(blocks.dataId) as Float32Array;
  } finally {
    gl.disposeIntermediateTensorInfo(blocks);
  }
  const words = encodeMomentRecords(mergeMomentBlocks(values, args.attrs as PixelprepMomentsAttrs));
  return gl.makeTensorInfo([words.length / MOMENT_RECORD_WORDS, MOMENT_RECORD_WORDS], 'int32', words);
};

const configs: KernelConfig[] = [
  { kernelName: PixelprepAffine, backendName: 'webgl', kernelFunc: affine },
  { kernelName: PixelprepMoments, backendName: 'webgl', kernelFunc: moments },
  ...compositeKernelConfigs('webgl').filter((c) => c.kernelName === PixelprepColorTransform),
];

export const webglKernels: BackendKernels = {
  backendName: 'webgl',
  fused: true,
  configs,
  // The kernels upload packed words' bytes themselves, exactly; the op chain would see int32 kept in float32.
  packings: ['uint8x4', 'uint16x2'],
  compositePackings: [],
};
