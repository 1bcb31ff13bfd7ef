/**
 * The plan's arithmetic as a chain of tfjs ops inside one tidy, on float32
 * pixels, in the shifted form of core/shifted_coefficients.ts: the core of the op
 * chain (ops/affine_ops.ts unpacks and permutes before it), which the
 * 'tensorflow' kernel and any backend without kernels of its own run.
 */
import * as tf from '@tensorflow/tfjs-core';
import { channelAxis, coefficientShape, type Geometry } from '../core/layout.js';
import type { AffineCoefficients } from '../core/plan.js';
import { shiftedCoefficients } from '../core/shifted_coefficients.js';

export function affineComposite(x: tf.Tensor, g: Geometry, k: AffineCoefficients): tf.Tensor {
  return tf.tidy(() => {
    const shape = coefficientShape(g, k.images > 1, k.channels > 1);
    const { shift, scale, base } = shiftedCoefficients(k);
    let input = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    if (k.channelOrder) input = tf.gather(input, [...k.channelOrder], channelAxis(g));
    let y = tf.mul(tf.sub(input, tf.tensor(shift, shape, 'float32')), tf.tensor(scale, shape, 'float32'));
    y = tf.add(y, tf.tensor(base, shape, 'float32'));
    if (k.clip) y = tf.clipByValue(y, k.clip[0], k.clip[1]);
    if (k.post) y = tf.add(tf.mul(y, k.post.scale), k.post.offset);
    return y;
  });
}
