/**
 * An affine plan on a batch tensor, as the PixelScaling layer runs it: the
 * PixelprepAffine op with the batch's geometry. Differentiable on every
 * backend through the gradient registered beside the kernels.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { runAffine } from '../core/affine_op.js';
import { PixelprepError } from '../core/errors.js';
import type { KernelChoice } from '../core/kernel_registry.js';
import { resolveGeometry, type Geometry } from '../core/layout.js';
import type { AffinePlan } from '../core/plan.js';

/**
 * The geometry of a layer input. Layer inputs always have a batch axis, so a
 * rank of spatialDims + 1 is a batch without a channel axis (grayscale).
 */
function batchGeometry(shape: readonly number[], plan: AffinePlan): Geometry {
  const options = { layout: plan.layout, spatialDims: plan.spatialDims };
  if (shape.length === plan.spatialDims + 2) return resolveGeometry(shape, options);
  if (shape.length === plan.spatialDims + 1) {
    // One image of this rank has no channel axis; resolving it also checks every dimension.
    const image = resolveGeometry(shape.slice(1), options);
    return { ...image, shape: [...shape], images: shape[0], batched: true };
  }
  const kind = plan.layout === 'channels_last' ? '[N,H,W,C] or [N,H,W]' : '[N,C,H,W] or [N,H,W]';
  throw new PixelprepError(
    'E_SHAPE',
    `Expected a batch of rank ${plan.spatialDims + 1} or ${plan.spatialDims + 2} (${plan.spatialDims === 2 ? kind : 'volumes with a batch axis'}) for PixelScaling but received [${shape.join(',')}] of rank ${shape.length}`,
  );
}

/**
 * Applies `plan` to a batch `x` ([N, ...image], int32 or float32) and returns
 * float32 of the same shape, differentiably. A rank of spatialDims + 1 is a
 * batch without a channel axis.
 *
 * @param kernel 'auto': the backend's registered kernel; 'fused': that or E_BACKEND; 'composite': tfjs ops.
 * @throws PixelprepError E_SHAPE when the batch's rank or channels do not fit the plan.
 */
export function applyPlanToBatch(x: tf.Tensor, plan: AffinePlan, kernel: KernelChoice): tf.Tensor {
  return runAffine(x, plan, kernel, batchGeometry(x.shape, plan));
}
