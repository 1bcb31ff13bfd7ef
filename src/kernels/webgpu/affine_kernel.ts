/**
 * The fused affine kernel on the webgpu backend: registered with tfjs as
 * 'PixelprepAffine', run by `affineWebGpu` (the device kernel runPlan uses
 * when the current backend is webgpu).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';
import type { PixelInput } from '../../core/input.js';
import { valueCount, type Geometry, type Layout } from '../../core/layout.js';
import type { AffineCoefficients } from '../../core/plan.js';
import { shiftedCoefficients } from '../shifted_coefficients.js';
import { AffineProgram, INPUT_ENCODINGS, type InputEncoding } from './affine_program.js';
import { checkFitsDevice, deviceInput, type DeviceInput } from './device_input.js';
import { isPixelprepBackend } from './webgpu_backend.js';

/** tfjs kernel name of the fused affine pass. */
export const AFFINE_KERNEL = 'PixelprepAffine';

/**
 * The coefficient table the program reads: [shift, scale, base] per set
 * (image-major), then the channel order when there is one.
 * (shiftedCoefficients: y = (x - shift) * scale + base).
 */
export function coefficientTable(k: AffineCoefficients): Float32Array {
  const sets = k.images * k.channels;
  const order = k.channelOrder ?? [];
  const table = new Float32Array(3 * sets + order.length);
  const { shift, scale, base } = shiftedCoefficients(k);
  for (let s = 0; s < sets; s++) table.set([shift[s], scale[s], base[s]], 3 * s);
  table.set(order, 3 * sets);
  return table;
}

/**
 * Applies the plan's coefficients to `x` on the current (webgpu) backend in
 * one pass and returns a float32 tensor of x's shape.
 *
 * @throws PixelprepError E_BACKEND when the current backend is not pixelprep's webgpu backend or its device failed,
 *   E_VALUE for NaN/±Infinity in host float data, E_SHAPE for inputs larger than one device buffer.
 * @example
 * await setBackend('webgpu');
 * const y = affineWebGpu({ data: rgb, shape: [224, 224, 3] }, geometry, plan.coefficients);
 */
export function affineWebGpu(x: PixelInput, g: Geometry, k: AffineCoefficients): tf.Tensor {
  const backend = tf.backend();
  if (!isPixelprepBackend(backend)) {
    throw new PixelprepError('E_BACKEND', `Expected pixelprep's webgpu backend (select it with setBackend('webgpu')) but the current tfjs backend is '${tf.getBackend()}'`);
  }
  checkFitsDevice(g, backend);
  backend.watch.check('starting the fused affine kernel');
  const input = deviceInput(x, g, backend);
  try {
    return affineOnDevice(input, g, k);
  } finally {
    if (input.owned) input.tensor.dispose();
  }
}

/** Runs the fused kernel on input already encoded for the device (upload and kernel timed apart by timing.ts). */
export function affineOnDevice(input: DeviceInput, g: Geometry, k: AffineCoefficients): tf.Tensor {
  return tf.tidy(() => {
    const coefficients = tf.tensor1d(coefficientTable(k), 'float32');
    const attrs: NamedAttrMap = {
      encoding: input.encoding,
      layout: g.layout,
      shape: [...g.shape],
      size: valueCount(g),
      channels: g.channels,
      pixels: g.pixels,
      imageSets: k.images,
      channelSets: k.channels,
      reorder: Boolean(k.channelOrder),
      clip: k.clip ? [k.clip[0], k.clip[1]] : [],
      post: k.post ? [k.post.scale, k.post.offset] : [],
      scan: input.unchecked,
    };
    return tf.engine().runKernel(AFFINE_KERNEL, { x: input.tensor, k: coefficients }, attrs) as tf.Tensor;
  });
}

function runAffine(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { inputs, backend, attrs } = args;
  if (!isPixelprepBackend(backend)) throw new PixelprepError('E_BACKEND', `Expected pixelprep's webgpu backend to run '${AFFINE_KERNEL}'`);
  const a = attrs ?? {};
  const encoding = a.encoding as InputEncoding;
  if (!INPUT_ENCODINGS.includes(encoding)) throw new PixelprepError('E_ARGUMENT', `Expected an input encoding among ${INPUT_ENCODINGS.join(', ')} but received ${String(a.encoding)}`);
  const size = a.size as number;
  const clip = a.clip as number[];
  const post = a.post as number[];
  const { x, k } = inputs;
  if (!x || !k) throw new PixelprepError('E_ARGUMENT', `Expected inputs x and k for '${AFFINE_KERNEL}'`);
  const program = new AffineProgram({
    size,
    encoding,
    layout: a.layout as Layout,
    clip: clip.length === 2,
    post: post.length === 2,
    reorder: a.reorder === true,
    perImage: (a.imageSets as number) > 1,
    perChannel: (a.channelSets as number) > 1,
  });
  const sets = (a.imageSets as number) * (a.channelSets as number);
  const uniforms = [
    { type: 'int32', data: [a.channels as number] },
    { type: 'int32', data: [a.pixels as number] },
    { type: 'int32', data: [a.channelSets as number] },
    { type: 'int32', data: [3 * sets] },
    { type: 'float32', data: [clip[0] ?? 0] },
    { type: 'float32', data: [clip[1] ?? 0] },
    { type: 'float32', data: [post[0] ?? 1] },
    { type: 'float32', data: [post[1] ?? 0] },
  ];
  const flatX = { dataId: x.dataId, shape: [tf.util.sizeFromShape(x.shape)], dtype: x.dtype };
  const out = backend.runWebGPUProgram(program, [flatX, k], 'float32', uniforms);
  if (a.scan === true) backend.scanWhenRead(out.dataId);
  return { dataId: out.dataId, shape: a.shape as number[], dtype: 'float32' };
}

/** The tfjs registration of the fused kernel for the webgpu backend. */
export const affineKernelConfig: KernelConfig = { kernelName: AFFINE_KERNEL, backendName: 'webgpu', kernelFunc: runAffine };

