/**
 * An affine plan on a batch tensor as a differentiable tfjs operation: what
 * the PixelScaling layer runs. The forward pass takes the backend's fused
 * kernel where there is one (else the composite op chain); the backward pass
 * has a gradient on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../core/errors.js';
import { affineComposite } from '../kernels/composite.js';
import { checkPlanFits, resolveKernel, type KernelChoice } from '../kernels/index.js';
import { channelAxis, coefficientShape, resolveGeometry, type Geometry } from '../core/layout.js';
import type { AffineCoefficients, AffinePlan } from '../core/plan.js';
import { describe } from '../core/validate.js';

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
 * Reorders channels with tf.gather, whose gradient is replaced by the inverse
 * permutation (another gather): tfjs' own gather gradient needs the
 * UnsortedSegmentSum kernel, which the wasm backend lacks. A split and concat
 * would avoid it too, but runs about ten times slower than gather on the cpu backend.
 */
function permuteChannels(x: tf.Tensor, order: readonly number[], axis: number): tf.Tensor {
  const inverse = order.map((_, j) => order.indexOf(j));
  const permute = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input] = args;
    if (!(input instanceof tf.Tensor)) throw new PixelprepError('E_ARGUMENT', `Expected a tensor to permute but received ${describe(input)}`);
    return { value: tf.gather(input, [...order], axis), gradFunc: (dy: tf.Tensor) => tf.gather(dy, inverse, axis) };
  });
  return permute(x);
}

/** The plan as tfjs ops: channel permutation (with a gradient on every backend), then the composite chain. */
function compositeScaling(x: tf.Tensor, geometry: Geometry, k: AffineCoefficients): tf.Tensor {
  // Cast before permuting, so the permutation (and its gradient) sees float32.
  const float = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
  const input = k.channelOrder ? permuteChannels(float, k.channelOrder, channelAxis(geometry)) : float;
  return affineComposite(input, geometry, { ...k, channelOrder: null });
}

/**
 * The gradient of the plan with respect to its input, in closed form: for
 * y[c] = clip(x[order[c]] * s[c] + o[c], lo, hi) * ps + po, dy/dx[order[c]] is
 * s[c] * ps inside the clip range (bounds included, as tf.clipByValue's gradient)
 * and 0 outside; the channel permutation is undone with its inverse.
 */
function planGradient(dy: tf.Tensor, x: tf.Tensor, geometry: Geometry, k: AffineCoefficients): tf.Tensor {
  const shape = coefficientShape(geometry, false, k.channels > 1);
  const scale = tf.tensor([...k.scale], shape, 'float32');
  let grad = tf.mul(dy, k.post ? tf.mul(scale, k.post.scale) : scale);
  const axis = channelAxis(geometry);
  if (k.clip) {
    const float = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    const permuted = k.channelOrder ? tf.gather(float, [...k.channelOrder], axis) : float;
    const z = tf.add(tf.mul(permuted, scale), tf.tensor([...k.offset], shape, 'float32'));
    const inside = tf.logicalAnd(tf.greaterEqual(z, k.clip[0]), tf.lessEqual(z, k.clip[1]));
    grad = tf.mul(grad, tf.cast(inside, 'float32'));
  }
  const order = k.channelOrder;
  return order ? tf.gather(grad, order.map((_, j) => order.indexOf(j)), axis) : grad;
}

/**
 * Forward: the plan's fused kernel (one pass; the fastest path of the backend).
 * Backward: the plan's gradient in closed form (planGradient), so training and
 * gradients with respect to the input work as with the op chain.
 */
function fusedWithGradient(x: tf.Tensor, plan: AffinePlan, geometry: Geometry): tf.Tensor {
  const scaled = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args;
    if (!(input instanceof tf.Tensor) || typeof save !== 'function') {
      throw new PixelprepError('E_ARGUMENT', `Expected a tensor to scale but received ${describe(input)}`);
    }
    save([input]);
    return {
      value: plan.apply(input, { kernel: 'fused' }),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => planGradient(dy, saved[0], geometry, plan.coefficients),
    };
  });
  return scaled(x);
}

/**
 * Applies `plan` to a batch `x` ([N, ...image], int32 or float32) and returns
 * float32 of the same shape, differentiably. A rank of spatialDims + 1 is a
 * batch without a channel axis.
 *
 * @param kernel 'auto': fused forward where the backend has a kernel; 'fused': that or E_BACKEND; 'composite': tfjs ops.
 * @throws PixelprepError E_SHAPE when the batch's rank or channels do not fit the plan.
 */
export function applyPlanToBatch(x: tf.Tensor, plan: AffinePlan, kernel: KernelChoice): tf.Tensor {
  return tf.tidy(() => {
    const geometry = batchGeometry(x.shape, plan);
    checkPlanFits(plan, geometry);
    // A batch without a channel axis reads as one image to the kernels; the op chain handles it.
    if (!geometry.hasChannelAxis || resolveKernel(kernel) === 'composite') return compositeScaling(x, geometry, plan.coefficients);
    return fusedWithGradient(x, plan, geometry);
  });
}
