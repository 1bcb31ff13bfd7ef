/**
 * Scaling on the webgl backend through pixelprep's kernels only, called with
 * `tf.engine().runKernel` as the op will call them: the statistics from
 * 'PixelprepMoments', the plan's coefficients from the methods table, the
 * pass from 'PixelprepAffine'. Raw uint8/uint16 travel packed 'uint8x4' /
 * 'uint16x2' in int32 words, as kernel_names.ts specifies.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PixelprepAffineAttrs, PixelprepMomentsAttrs, PixelPacking } from '../../../src/core/kernel_names.js';
import { resolveGeometry, type Layout, type SpatialDims } from '../../../src/core/layout.js';
import { methodCoefficients, methodTail, type Method } from '../../../src/core/methods.js';
import { mergeAll, std, type Moments } from '../../../src/core/moments.js';
import { geometryOfAttrs } from '../../../src/core/kernel_attrs.js';
import { decodeMomentPartials } from '../../../src/core/moment_partials.js';
import type { RefGroup } from '../../core/reference.js';

export type KernelInput = tf.Tensor | { data: Uint8Array | Uint16Array | Float32Array; shape: number[] };

/** Little-endian words holding the bytes of `data`, zero-padded to whole words. */
export function packWords(data: Uint8Array | Uint16Array): Int32Array {
  const bytes = new Uint8Array(Math.ceil(data.byteLength / 4) * 4);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return new Int32Array(bytes.buffer);
}

/** The kernel's x and packing for an input; `owned` tensors are disposed by the caller. */
export function kernelInput(x: KernelInput): { tensor: tf.Tensor; packing: PixelPacking; shape: number[]; owned: boolean } {
  if (x instanceof tf.Tensor) return { tensor: x, packing: 'none', shape: x.shape, owned: false };
  if (x.data instanceof Float32Array) return { tensor: tf.tensor(x.data, x.shape, 'float32'), packing: 'none', shape: x.shape, owned: true };
  const words = packWords(x.data);
  return { tensor: tf.tensor1d(words, 'int32'), packing: x.data instanceof Uint8Array ? 'uint8x4' : 'uint16x2', shape: x.shape, owned: true };
}

export interface WebGLScaleOptions {
  method: Method;
  per: 'channel' | 'global';
  scope: 'image' | 'batch';
  layout: Layout;
  spatialDims?: SpatialDims;
  range?: [number, number];
}

/** Moments per (image, channel) or per channel from the webgl kernel's records. */
export async function webglMoments(tensor: tf.Tensor, attrs: PixelprepMomentsAttrs): Promise<Moments[]> {
  const records = tf.engine().runKernel('PixelprepMoments', { x: tensor }, attrs) as tf.Tensor;
  const words = (await records.data()) as Int32Array;
  records.dispose();
  const g = geometryOfAttrs(attrs);
  return decodeMomentPartials(words, attrs.perImage ? g.images * g.channels : g.channels, g.channels);
}

/** Scales `x` with the webgl kernels; returns the output and the statistics groups it used. */
export async function webglScale(x: KernelInput, o: WebGLScaleOptions): Promise<{ y: tf.Tensor; groups: RefGroup[] }> {
  const { tensor, packing, shape, owned } = kernelInput(x);
  try {
    const spatialDims = o.spatialDims ?? 2;
    const g = resolveGeometry(shape, { layout: o.layout, spatialDims });
    const perImage = o.scope === 'image';
    const moments = await webglMoments(tensor, { layout: o.layout, spatialDims, packing, shape, perImage, channelAxis: true });
    const C = g.channels;
    const groups: RefGroup[] = [];
    for (let n = 0; n < (perImage ? g.images : 1); n++) {
      const image = moments.slice(n * C, (n + 1) * C);
      for (const m of o.per === 'global' ? [mergeAll(image)] : image) groups.push({ mean: m.mean, std: std(m), min: m.min, max: m.max });
    }
    const channels = o.per === 'global' ? 1 : C;
    const params = { range: o.range ?? [0, 255], target: [0, 1], epsilon: 1e-7, zeroVariance: 'clamp', rescale: { scale: [], offset: [] } } as const;
    const k = groups.map((group, i) => methodCoefficients(o.method, group, i % channels, params));
    const tail = methodTail(o.method);
    const attrs: PixelprepAffineAttrs = {
      layout: o.layout,
      spatialDims,
      packing,
      shape,
      channelAxis: true,
      images: perImage ? g.images : 1,
      channels,
      scale: k.map((c) => c.scale),
      offset: k.map((c) => c.offset),
      clip: tail.clip ?? [],
      postScale: tail.post?.scale ?? 1,
      postOffset: tail.post?.offset ?? 0,
      channelOrder: [],
    };
    return { y: tf.engine().runKernel('PixelprepAffine', { x: tensor }, attrs) as tf.Tensor, groups };
  } finally {
    if (owned) tensor.dispose();
  }
}
