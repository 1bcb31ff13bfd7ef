/**
 * Registers pixelprep's kernels for tfjs-backend-webgl ('PixelprepAffine',
 * 'PixelprepMoments'). Idempotent; tfjs-backend-webgl need not be loaded yet.
 */
import * as tf from '@tensorflow/tfjs-core';
import { affineKernelConfig } from './affine_kernel.js';
import { momentsKernelConfig } from './moments_kernel.js';

/** The webgl kernel configs, for the common registration list. */
export const WEBGL_KERNEL_CONFIGS: readonly tf.KernelConfig[] = [affineKernelConfig, momentsKernelConfig];

/**
 * Registers the webgl kernels with tfjs (once).
 * @example
 * import '@tensorflow/tfjs-backend-webgl';
 * registerWebGLKernels();
 * await tf.setBackend('webgl');
 */
export function registerWebGLKernels(): void {
  for (const config of WEBGL_KERNEL_CONFIGS) {
    if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  }
}
