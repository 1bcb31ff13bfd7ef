/**
 * Packed pixels unpacked with tfjs ops, on the device that holds them: uint8
 * four to an int32 word ('uint8x4') or uint16 two ('uint16x2'), little-endian.
 *
 * The arithmetic is exact integer arithmetic in int32: floorMod(w, 256) is the
 * low byte of w for every int32 w (a non-negative remainder, also when the top
 * byte makes the word negative) and floorDiv(w, 256) is w >> 8 (floor division
 * is an arithmetic shift). So a CUDA host uploads one byte per pixel, not four.
 * Backends that keep int32 in float32 (webgl) are not given packed input.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PixelPacking } from '../../core/kernel_names.js';
import { valueCount, type Geometry } from '../../core/layout.js';

/** The pixels of `x` (held with `packing`) as an int32 or float32 tensor of the geometry's shape. */
export function unpackPixels(x: tf.Tensor, packing: PixelPacking, g: Geometry): tf.Tensor {
  if (packing === 'none') return x;
  return tf.tidy(() => {
    const words = tf.reshape(x, [-1]);
    const fields = packing === 'uint8x4' ? splitWords(words, 4, 256) : splitWords(words, 2, 65536);
    // [words, perWord] in little-endian order, flattened, then the padding of the last word dropped.
    const flat = tf.reshape(tf.stack(fields, 1), [-1]);
    const size = valueCount(g);
    return tf.reshape(flat.shape[0] === size ? flat : tf.slice(flat, 0, size), g.shape as number[]);
  });
}

/** The `count` fields of `base` values each in every word, lowest first. */
function splitWords(words: tf.Tensor, count: number, base: number): tf.Tensor[] {
  const fields: tf.Tensor[] = [];
  let rest = words;
  for (let i = 0; i < count; i++) {
    fields.push(tf.mod(rest, base));
    if (i < count - 1) rest = tf.floorDiv(rest, base);
  }
  return fields;
}
