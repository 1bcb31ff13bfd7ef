/**
 * The PixelprepAffine op: checks the input against the plan, makes the kernel's
 * input tensor, and calls `engine().runKernel`. Where it runs is the registry's
 * business (kernels/register_all_kernels.ts); its gradient is registered beside
 * the kernels, so the op is differentiable on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from './errors.js';
import { checkPlanInput } from './apply_guard.js';
import { keepFloat64Precision } from './float64_preshift.js';
import { inspectInput, type PixelInput } from './input.js';
import { affineAttrs } from './kernel_attrs.js';
import { kernelInput } from './kernel_input.js';
import { PixelprepAffine } from './kernel_names.js';
import { currentBackend, ensureKernels, kernelProvider, resolveKernel, type KernelChoice } from './kernel_registry.js';
import type { Geometry } from './layout.js';
import type { PlanLike } from './coefficients.js';

/** Throws E_SHAPE when the plan's coefficient sets do not fit the input. */
export function checkPlanFits(plan: PlanLike, g: Geometry): void {
  const { images, channels } = plan.coefficients;
  if (channels !== 1 && channels !== g.channels) {
    throw new PixelprepError('E_SHAPE', `Expected input with ${channels} channels (${plan.layout}) for this plan but received shape [${g.shape.join(',')}] with ${g.channels}`);
  }
  const order = plan.coefficients.channelOrder;
  if (order && order.length !== g.channels) {
    throw new PixelprepError('E_SHAPE', `Expected input with ${order.length} channels (the plan reorders channels) but received shape [${g.shape.join(',')}] with ${g.channels}`);
  }
  if (images !== 1 && images !== g.images) {
    throw new PixelprepError('E_SHAPE', `Expected a batch of ${images} images (the plan holds per-image statistics) but received ${g.images}`);
  }
}

/**
 * Applies `plan` to `x` and returns a new float32 tensor of x's shape.
 *
 * @param geometry how to read x's shape, when not as `inspectInput` reads it (a layer's batch without a channel axis).
 * @throws PixelprepError E_SHAPE, E_DTYPE, E_VALUE on bad input; E_BACKEND for 'fused' on a backend without a fused kernel.
 */
export function runAffine(x: PixelInput, plan: PlanLike, choice: KernelChoice, geometry?: Geometry): tf.Tensor {
  const g = geometry ?? inspectInput(x, plan).geometry;
  if (geometry) inspectInput(x, plan);
  checkPlanFits(plan, g);
  // Outputs proven finite in float32 before any kernel writes (a layer's batch without a channel axis is not checked).
  if (!geometry) checkPlanInput(plan.coefficients, x, plan);
  const backend = currentBackend();
  const provider = kernelProvider();
  const mode = resolveKernel(choice, backend);
  const packings = provider.packings(backend, mode === 'composite');
  const { pixels, coefficients } = keepFloat64Precision(x, g, plan.coefficients, packings);
  const input = kernelInput(pixels, g, packings);
  try {
    const attrs = affineAttrs(coefficients, g, input.packing);
    if (mode === 'composite') return provider.affineOps(input.tensor, attrs);
    ensureKernels(backend);
    return tf.engine().runKernel(PixelprepAffine, { x: input.tensor }, attrs) as tf.Tensor;
  } finally {
    if (input.owned) input.tensor.dispose();
  }
}
