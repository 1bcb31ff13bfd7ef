/** PixelprepAffine on the cpu backend: the host kernel writes a new Float32Array that becomes the output's storage. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { coefficientsOfAttrs } from '../../core/kernel_attrs.js';
import { PixelprepAffine, type PixelprepAffineAttrs } from '../../core/kernel_names.js';
import { affineCpu } from '../host/affine.js';
import { kernelPixels } from '../host/kernel_io.js';
import { cpuBackendOf } from './cpu_backend.js';

function affine({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const cpu = cpuBackendOf(backend, PixelprepAffine);
  const a = attrs as PixelprepAffineAttrs;
  const host = kernelPixels(cpu.valuesOf(inputs.x), a);
  const out = new Float32Array(host.data.length);
  affineCpu(host.data, host.geometry, coefficientsOfAttrs(a), out);
  return cpu.makeTensorInfo(a.shape, 'float32', out);
}

export const affineConfig: KernelConfig = { kernelName: PixelprepAffine, backendName: 'cpu', kernelFunc: affine };
