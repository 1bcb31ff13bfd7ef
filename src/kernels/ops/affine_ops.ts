/**
 * PixelprepAffine as a chain of tfjs ops: what the 'tensorflow' kernel runs
 * inside itself, what any backend without a kernel of its own runs, and what
 * kernel choice 'composite' runs. Written with tfjs ops only, so it runs and is
 * tested on every backend (the cpu-composite test lane).
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';
import { coefficientsOfAttrs, geometryOfAttrs } from '../../core/kernel_attrs.js';
import type { PixelprepAffineAttrs } from '../../core/kernel_names.js';
import { channelAxis } from '../../core/layout.js';
import { describe } from '../../core/validate.js';
import { affineComposite } from '../composite.js';
import { guardFinite } from './finite_guard.js';
import { unpackPixels } from './unpack_pixels.js';

/**
 * Unpacks, permutes channels and applies `(x - shift) * scale + base`, clip and
 * post step (composite.ts), returning a new float32 tensor of the pixels' shape.
 *
 * Float32 input is checked for NaN/±Infinity: on a backend that scans tensors
 * when they are read (pixelprep's webgpu backend) by marking the output; on any
 * other by one scalar probe (x · 0 summed is NaN exactly when x holds a
 * non-finite value), read synchronously. That readback is unavoidable there:
 * tfjs offers no hook on reads of a backend pixelprep does not own (tfjs-node),
 * and without it a NaN would reach the output. Integer and packed pixels, the
 * usual case, need no check.
 *
 * @throws PixelprepError E_VALUE when float input holds NaN or ±Infinity.
 */
export function affineOps(x: tf.Tensor, attrs: PixelprepAffineAttrs): tf.Tensor {
  const g = geometryOfAttrs(attrs);
  const k = coefficientsOfAttrs(attrs);
  const y = tf.tidy(() => {
    const pixels = unpackPixels(x, attrs.packing, g);
    const float = pixels.dtype === 'float32' ? pixels : tf.cast(pixels, 'float32');
    const input = k.channelOrder ? permuteChannels(float, k.channelOrder, channelAxis(g)) : float;
    return affineComposite(input, g, { ...k, channelOrder: null });
  });
  if (attrs.packing === 'none' && x.dtype === 'float32') guardFinite(x, y);
  return y;
}

/**
 * Reorders channels with tf.gather, whose gradient is the inverse permutation
 * (another gather): tfjs' own gather gradient needs the UnsortedSegmentSum
 * kernel, which the wasm backend lacks.
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
