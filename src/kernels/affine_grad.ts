/**
 * The gradient of PixelprepAffine, registered once for every backend. For
 *
 *     y[c] = clip(x[order[c]] * s[c] + o[c], lo, hi) * ps + po
 *
 * dy/dx[order[c]] is s[c] * ps inside the clip range (bounds included, as
 * tf.clipByValue's gradient) and 0 where the clip clamped; the channel
 * permutation is undone with its inverse. An int32 input gets the same float32
 * gradient, as tfjs' Cast passes a gradient to int32 inputs; packed pixels (raw
 * batches, made inside the op, never a caller's tensor) get zeros.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';
import { PixelprepError } from '../core/errors.js';
import { coefficientsOfAttrs, geometryOfAttrs } from '../core/kernel_attrs.js';
import { PixelprepAffine, type PixelprepAffineAttrs } from '../core/kernel_names.js';
import { channelAxis, coefficientShape } from '../core/layout.js';

/** dL/dx for dL/dy = `dy`, the kernel's saved input `x` and its attributes. */
export function affineGradient(dy: tf.Tensor, x: tf.Tensor, attrs: PixelprepAffineAttrs): tf.Tensor {
  if (attrs.packing !== 'none') return tf.zerosLike(x);
  return tf.tidy(() => {
    const g = geometryOfAttrs(attrs);
    const k = coefficientsOfAttrs(attrs);
    const shape = coefficientShape(g, k.images > 1, k.channels > 1);
    const scale = tf.tensor([...k.scale], shape, 'float32');
    let grad = tf.mul(dy, k.post ? tf.mul(scale, k.post.scale) : scale);
    const axis = channelAxis(g);
    const order = k.channelOrder;
    if (k.clip) {
      const float = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
      const permuted = order ? tf.gather(float, [...order], axis) : float;
      const z = tf.add(tf.mul(permuted, scale), tf.tensor([...k.offset], shape, 'float32'));
      const inside = tf.logicalAnd(tf.greaterEqual(z, k.clip[0]), tf.lessEqual(z, k.clip[1]));
      grad = tf.mul(grad, tf.cast(inside, 'float32'));
    }
    return order ? tf.gather(grad, order.map((_, j) => order.indexOf(j)), axis) : grad;
  });
}

export const affineGradConfig: GradConfig = {
  kernelName: PixelprepAffine,
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved;
    if (Array.isArray(dy) || !x) throw new PixelprepError('E_ARGUMENT', `Expected one output gradient and the saved input of '${PixelprepAffine}'`);
    return { x: () => affineGradient(dy, x, attrs as PixelprepAffineAttrs) };
  },
};
