/**
 * The PixelprepColorTransform op: y = A (x - before) + after for every pixel,
 * through `engine().runKernel` (the float64 host loop on cpu and wasm, tfjs
 * ops elsewhere; PCA whitening's colour transform).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PixelInput } from './input.js';
import { spatialDimsOf } from './kernel_attrs.js';
import { kernelInput } from './kernel_input.js';
import { PixelprepColorTransform, type PixelprepColorTransformAttrs } from './kernel_names.js';
import { currentBackend, ensureKernels, kernelProvider, resolveKernel, type KernelChoice } from './kernel_registry.js';
import type { Geometry } from './layout.js';

/** A C×C colour transform: `matrix` row-major, `before` and `after` C values each. */
export interface ColorTransform {
  readonly matrix: ArrayLike<number>;
  readonly before: ArrayLike<number>;
  readonly after: ArrayLike<number>;
}

/**
 * Applies `t` to every pixel of `x` (already inspected as `g`) and returns a new float32 tensor of its shape.
 * @throws PixelprepError E_VALUE for NaN/±Infinity in float input, E_BACKEND for 'fused' without a fused backend.
 */
export function runColorTransform(x: PixelInput, g: Geometry, t: ColorTransform, choice: KernelChoice): tf.Tensor {
  const backend = currentBackend();
  const provider = kernelProvider();
  const mode = resolveKernel(choice, backend);
  // Packed only as the op chain unpacks it: on webgpu this kernel is the op chain, not a WGSL program.
  const input = kernelInput(x, g, provider.packings(backend, true));
  try {
    const attrs: PixelprepColorTransformAttrs = {
      layout: g.layout,
      spatialDims: spatialDimsOf(g),
      packing: input.packing,
      shape: [...g.shape],
      channelAxis: g.hasChannelAxis,
      matrix: Array.from(t.matrix),
      before: Array.from(t.before),
      after: Array.from(t.after),
    };
    if (mode === 'composite') return provider.colorTransformOps(input.tensor, attrs);
    ensureKernels(backend);
    return tf.engine().runKernel(PixelprepColorTransform, { x: input.tensor }, attrs) as tf.Tensor;
  } finally {
    if (input.owned) input.tensor.dispose();
  }
}
