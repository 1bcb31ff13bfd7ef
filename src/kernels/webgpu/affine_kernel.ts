/**
 * PixelprepAffine on the webgpu backend: one WGSL pass (affine_program.ts)
 * over the input's buffer, packed uint8/uint16 unpacked in the shader.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';
import { assertFinite } from '../../core/input.js';
import { affineAttrs, coefficientsOfAttrs, geometryOfAttrs } from '../../core/kernel_attrs.js';
import { PixelprepAffine, type PixelprepAffineAttrs } from '../../core/kernel_names.js';
import { valueCount, type Geometry } from '../../core/layout.js';
import type { AffineCoefficients } from '../../core/plan.js';
import { shiftedCoefficients } from '../../core/shifted_coefficients.js';
import { AffineProgram } from './affine_program.js';
import { checkFitsDevice, encodingOf, type DeviceInput } from './device_input.js';
import { isPixelprepBackend } from './webgpu_backend.js';

/** tfjs kernel name of the fused affine pass. */
export const AFFINE_KERNEL = PixelprepAffine;

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
 * Runs the kernel on input already encoded for the device (the benchmark times
 * the upload and the kernel apart): `engine().runKernel('PixelprepAffine', ...)`.
 */
export function affineOnDevice(input: DeviceInput, g: Geometry, k: AffineCoefficients): tf.Tensor {
  const packing = input.encoding === 'u8x4' ? 'uint8x4' : input.encoding === 'u16x2' ? 'uint16x2' : 'none';
  return tf.engine().runKernel(PixelprepAffine, { x: input.tensor }, affineAttrs(k, g, packing)) as tf.Tensor;
}

function runAffine({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  if (!isPixelprepBackend(backend)) throw new PixelprepError('E_BACKEND', `Expected pixelprep's webgpu backend (select it with setBackend('webgpu')) to run '${PixelprepAffine}'`);
  const { x } = inputs;
  if (!x) throw new PixelprepError('E_ARGUMENT', `Expected input x for '${PixelprepAffine}' but received none`);
  const a = attrs as PixelprepAffineAttrs;
  const g = geometryOfAttrs(a);
  const k = coefficientsOfAttrs(a);
  checkFitsDevice(g, backend);
  backend.watch.check('starting the fused affine kernel');
  const encoding = encodingOf(a.packing, x, backend);
  // Float values on the host are checked now; values only on the GPU when the output is read.
  const host = encoding === 'f32' ? backend.hostValues(x.dataId) : null;
  if (host instanceof Float32Array) assertFinite(host);
  const program = new AffineProgram({
    size: valueCount(g),
    encoding,
    layout: g.layout,
    clip: k.clip !== null,
    post: k.post !== null,
    reorder: k.channelOrder !== null,
    perImage: k.images > 1,
    perChannel: k.channels > 1,
  });
  const sets = k.images * k.channels;
  const uniforms = [
    { type: 'int32', data: [g.channels] },
    { type: 'int32', data: [g.pixels] },
    { type: 'int32', data: [k.channels] },
    { type: 'int32', data: [3 * sets] },
    { type: 'float32', data: [k.clip?.[0] ?? 0] },
    { type: 'float32', data: [k.clip?.[1] ?? 0] },
    { type: 'float32', data: [k.post?.scale ?? 1] },
    { type: 'float32', data: [k.post?.offset ?? 0] },
  ];
  const table = backend.makeTensorInfo([3 * sets + (k.channelOrder?.length ?? 0)], 'float32', coefficientTable(k));
  const flatX = { dataId: x.dataId, shape: [tf.util.sizeFromShape(x.shape)], dtype: x.dtype };
  try {
    const out = backend.runWebGPUProgram(program, [flatX, table], 'float32', uniforms);
    if (encoding === 'f32' && !(host instanceof Float32Array)) backend.scanWhenRead(out.dataId);
    return { dataId: out.dataId, shape: [...a.shape], dtype: 'float32' };
  } finally {
    backend.disposeData(table.dataId);
  }
}

/** The tfjs registration of the fused kernel for the webgpu backend. */
export const affineKernelConfig: KernelConfig = { kernelName: PixelprepAffine, backendName: 'webgpu', kernelFunc: runAffine };
