/**
 * KernelConfigs that run the composite op chain inside the kernel, for any
 * backend name: 'tensorflow' (libtensorflow runs each op, CUDA where present)
 * and, registered on first use, any backend without kernels of its own.
 *
 * PixelprepAffine calls tfjs ops inside the kernel (the engine records no
 * gradient tape inside a kernel; the registered gradient covers the kernel).
 * PixelprepMoments reads the pixels once to the host and accumulates there in
 * float64: exact statistics need float64, which tfjs tensors lack.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';
import {
  PixelprepAffine,
  PixelprepColorTransform,
  PixelprepMoments,
  type PixelprepAffineAttrs,
  type PixelprepColorTransformAttrs,
  type PixelprepMomentsAttrs,
} from '../../core/kernel_names.js';
import { MOMENT_RECORD_WORDS } from '../../core/moment_partials.js';
import { describe } from '../../core/validate.js';
import { kernelPixels, momentRecordsOf } from '../host/kernel_io.js';
import { affineOps } from './affine_ops.js';
import { colorTransformOps } from './color_transform_ops.js';

function inputOf(x: TensorInfo | undefined, kernelName: string): TensorInfo {
  if (!x) throw new PixelprepError('E_ARGUMENT', `Expected input x for '${kernelName}' but received none`);
  return x;
}

function kernelBackendOf(backend: unknown, kernelName: string): tf.KernelBackend {
  if (!(backend instanceof tf.KernelBackend)) throw new PixelprepError('E_BACKEND', `Expected a tfjs backend to run '${kernelName}' but received ${describe(backend)}`);
  return backend;
}

/** A kernel whose body is a function of tfjs ops over its input x. */
const opsKernel =
  (kernelName: string, body: (x: tf.Tensor, attrs: NamedAttrMap) => tf.Tensor): KernelFunc =>
  ({ inputs, backend: maybe, attrs }) =>
    runOps(kernelBackendOf(maybe, kernelName), inputOf(inputs.x, kernelName), (x) => body(x, attrs ?? {}));

function runOps(backend: tf.KernelBackend, input: TensorInfo, body: (x: tf.Tensor) => tf.Tensor): TensorInfo {
  // A Tensor over the input's data for the ops: one more reference on the backend, released by x.dispose().
  backend.incRef(input.dataId);
  const x = tf.engine().makeTensorFromTensorInfo(input);
  let y: tf.Tensor;
  try {
    y = body(x);
  } finally {
    x.dispose();
  }
  // The output keeps y's data: one more reference on the backend, then y is released (as tfjs' Identity kernels do).
  backend.incRef(y.dataId);
  y.dispose();
  return { dataId: y.dataId, shape: y.shape, dtype: y.dtype };
}

function moments({ inputs, backend: maybe, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = kernelBackendOf(maybe, PixelprepMoments);
  const a = attrs as PixelprepMomentsAttrs;
  const x = inputOf(inputs.x, PixelprepMoments);
  const words = momentRecordsOf(kernelPixels(backend.readSync(x.dataId), a), a.perImage);
  const shape = [words.length / MOMENT_RECORD_WORDS, MOMENT_RECORD_WORDS];
  return { dataId: backend.write(words, shape, 'int32'), shape, dtype: 'int32' };
}

const affine = opsKernel(PixelprepAffine, (x, attrs) => affineOps(x, attrs as PixelprepAffineAttrs));
const colorTransform = opsKernel(PixelprepColorTransform, (x, attrs) => colorTransformOps(x, attrs as PixelprepColorTransformAttrs));

/** The kernels as tfjs-op chains for `backendName`. */
export function compositeKernelConfigs(backendName: string): KernelConfig[] {
  return [
    { kernelName: PixelprepAffine, backendName, kernelFunc: affine },
    { kernelName: PixelprepMoments, backendName, kernelFunc: moments },
    { kernelName: PixelprepColorTransform, backendName, kernelFunc: colorTransform },
  ];
}
