/**
 * The plan as a chain of tfjs ops inside one tidy: what runs on backends
 * without a fused kernel (tensorflow/tfjs-node, wasm).
 *
 * Computed as (x - shift) * scale + base with shift = float32(-offset / scale)
 * and base = offset + shift * scale in float64: values near the mean are
 * subtracted before they are scaled, so float32 keeps its precision there, and
 * base restores whatever rounding shift to float32 lost (it is ~0 except for
 * target ranges that do not start at 0).
 */
import * as tf from '@tensorflow/tfjs-core';
import { channelAxis, coefficientShape, type Geometry } from '../layout.js';
import type { AffineCoefficients } from '../plan.js';

export function affineComposite(x: tf.Tensor, g: Geometry, k: AffineCoefficients): tf.Tensor {
  return tf.tidy(() => {
    const shape = coefficientShape(g, k.images > 1, k.channels > 1);
    const shifts = k.offset.map((o, i) => Math.fround(-o / k.scale[i]));
    const bases = k.offset.map((o, i) => o + shifts[i] * k.scale[i]);
    let input = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    if (k.channelOrder) input = tf.gather(input, [...k.channelOrder], channelAxis(g));
    let y = tf.mul(tf.sub(input, tf.tensor(shifts, shape, 'float32')), tf.tensor([...k.scale], shape, 'float32'));
    y = tf.add(y, tf.tensor(bases, shape, 'float32'));
    if (k.clip) y = tf.clipByValue(y, k.clip[0], k.clip[1]);
    if (k.post) y = tf.add(tf.mul(y, k.post.scale), k.post.offset);
    return y;
  });
}
