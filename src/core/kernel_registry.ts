/**
 * What core needs from the kernels layer, installed by it (kernels/register_all_kernels.ts)
 * so that core imports nothing above itself: the registry decides where a plan
 * runs, and core only calls `engine().runKernel`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from './errors.js';
import type { HostPixels } from './input.js';
import { PixelprepAffine, PixelprepColorTransform, PixelprepMoments, type PixelPacking, type PixelprepAffineAttrs, type PixelprepColorTransformAttrs } from './kernel_names.js';
import type { AffineCoefficients } from './coefficients.js';

/**
 * 'auto' (default): the kernel registered for the current backend; 'fused': the
 * same, or E_BACKEND where the backend has no fused kernel; 'composite': the tfjs
 * op chain, whatever the backend (the body the 'tensorflow' kernel runs).
 */
export const KERNEL_CHOICES = ['auto', 'fused', 'composite'] as const;
export type KernelChoice = (typeof KERNEL_CHOICES)[number];

/** The kernels layer, as core sees it. */
export interface KernelProvider {
  /** Backends whose kernels run in one fused pass (not a chain of tfjs ops). */
  readonly fusedBackends: readonly string[];
  /** Every backend with kernels of its own, fused or not. */
  readonly registeredBackends: readonly string[];
  /** Registers the composite kernels of every name for a backend that has none (webgl, or one a user registered). */
  registerFallback(backendName: string): void;
  /** The composite op chain on a tensor holding pixels as the attributes say (kernel choice 'composite'). */
  affineOps(x: tf.Tensor, attrs: PixelprepAffineAttrs): tf.Tensor;
  /** The colour transform's op chain (kernel choice 'composite'). */
  colorTransformOps(x: tf.Tensor, attrs: PixelprepColorTransformAttrs): tf.Tensor;
  /** The host kernel into a caller's buffer: no tensor (scaleInto's fast path). */
  affineHost(host: HostPixels, coefficients: AffineCoefficients, out: Float32Array): void;
  /** PixelprepMoments' records for pixels on the host (backends that cannot read synchronously). */
  momentsHost(host: HostPixels, perImage: boolean): Int32Array;
  /** False for backends whose tensors cannot be read synchronously (webgpu in Node). */
  readsSynchronously(backendName: string): boolean;
  /**
   * The packings that the backend's kernel (or, when `composite`, the op chain on
   * that backend) reads besides 'none'; raw batches of other types are widened
   * to int32 or float32.
   */
  packings(backendName: string, composite: boolean): readonly PixelPacking[];
}

let provider: KernelProvider | null = null;

/** Installs the kernels layer (kernels/register_all_kernels.ts does, once, on import). */
export function installKernelProvider(p: KernelProvider): void {
  provider = p;
}

/** The installed kernels layer. @throws PixelprepError E_BACKEND when no kernels were registered. */
export function kernelProvider(): KernelProvider {
  if (!provider) {
    throw new PixelprepError(
      'E_BACKEND',
      "Expected pixelprep's kernels to be registered (import 'pixelprep' or 'pixelprep/layers', which register them) but received none",
    );
  }
  return provider;
}

/**
 * The current tfjs backend's name, starting one if none has started yet: tfjs
 * would start its highest-priority backend, and those that start asynchronously
 * (wasm, webgpu) cannot start here, so take one that starts synchronously.
 */
export function currentBackend(): string {
  if (!tf.getBackend()) void tf.setBackend(tf.findBackendFactory('tensorflow') ? 'tensorflow' : 'cpu');
  return tf.getBackend();
}

/** Every pixelprep kernel. */
export const KERNEL_NAMES = [PixelprepAffine, PixelprepMoments, PixelprepColorTransform] as const;

/** Makes sure every kernel exists for `backendName`, registering the composite ones for a backend without its own. */
export function ensureKernels(backendName: string): void {
  if (KERNEL_NAMES.every((name) => tf.getKernel(name, backendName))) return;
  kernelProvider().registerFallback(backendName);
}

/** The kernel `choice` resolves to on `backendName`. @throws PixelprepError E_BACKEND for 'fused' on a backend without a fused kernel. */
export function resolveKernel(choice: KernelChoice, backendName: string): 'kernel' | 'composite' {
  if (choice === 'composite') return 'composite';
  const fused = kernelProvider().fusedBackends;
  if (choice === 'fused' && !fused.includes(backendName)) {
    throw new PixelprepError('E_BACKEND', `Expected a backend with a fused kernel (${fused.join(', ')}) for kernel 'fused' but the current tfjs backend is '${backendName}'`);
  }
  return 'kernel';
}
