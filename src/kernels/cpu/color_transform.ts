/** PixelprepColorTransform on the cpu backend: the float64 host loop into a new Float32Array. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { PixelprepColorTransform, type PixelprepColorTransformAttrs } from '../../core/kernel_names.js';
import { colorTransformHost } from '../host/color_transform_kernel.js';
import { kernelPixels } from '../host/kernel_io.js';
import { cpuBackendOf } from './cpu_backend.js';

function colorTransform({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const cpu = cpuBackendOf(backend, PixelprepColorTransform);
  const a = attrs as PixelprepColorTransformAttrs;
  const host = kernelPixels(cpu.valuesOf(inputs.x), a);
  const out = new Float32Array(host.data.length);
  colorTransformHost(host, a, out);
  return cpu.makeTensorInfo(a.shape, 'float32', out);
}

export const colorTransformConfig: KernelConfig = { kernelName: PixelprepColorTransform, backendName: 'cpu', kernelFunc: colorTransform };
