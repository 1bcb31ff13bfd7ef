/**
 * PixelprepColorTransform as tfjs ops (matMul): the body of the kernel on
 * backends without a host kernel (webgpu, tensorflow, any other).
 */
import * as tf from '@tensorflow/tfjs-core';
import { geometryOfAttrs } from '../../core/kernel_attrs.js';
import type { PixelprepColorTransformAttrs } from '../../core/kernel_names.js';
import { guardFinite } from './finite_guard.js';
import { unpackPixels } from './unpack_pixels.js';

/** y = A (x - before) + after per pixel, float32, of the pixels' shape. */
export function colorTransformOps(x: tf.Tensor, attrs: PixelprepColorTransformAttrs): tf.Tensor {
  const g = geometryOfAttrs(attrs);
  const C = g.channels;
  const y = tf.tidy(() => {
    const pixels = unpackPixels(x, attrs.packing, g);
    const input = pixels.dtype === 'float32' ? pixels : tf.cast(pixels, 'float32');
    const A = tf.tensor2d(attrs.matrix, [C, C], 'float32');
    if (g.layout === 'channels_first' && C > 1) {
      // [N, C, P]: A [C,C] broadcasts over the batch.
      const planar = tf.reshape(input, [g.images, C, g.pixels]);
      const before = tf.tensor3d(attrs.before, [1, C, 1], 'float32');
      const after = tf.tensor3d(attrs.after, [1, C, 1], 'float32');
      return tf.reshape(tf.add(tf.matMul(A, tf.sub(planar, before)), after), g.shape as number[]);
    }
    const rows = tf.reshape(input, [-1, C]);
    const before = tf.tensor2d(attrs.before, [1, C], 'float32');
    const after = tf.tensor2d(attrs.after, [1, C], 'float32');
    return tf.reshape(tf.add(tf.matMul(tf.sub(rows, before), A, false, true), after), g.shape as number[]);
  });
  if (attrs.packing === 'none' && x.dtype === 'float32') guardFinite(x, y);
  return y;
}
