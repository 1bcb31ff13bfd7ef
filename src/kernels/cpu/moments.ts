/** PixelprepMoments on the cpu backend: the float64 host accumulator, one record per group. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { MOMENT_RECORD_WORDS } from '../../core/moment_partials.js';
import { PixelprepMoments, type PixelprepMomentsAttrs } from '../../core/kernel_names.js';
import { kernelPixels, momentRecordsOf } from '../host/kernel_io.js';
import { cpuBackendOf } from './cpu_backend.js';

function moments({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const cpu = cpuBackendOf(backend, PixelprepMoments);
  const a = attrs as PixelprepMomentsAttrs;
  const words = momentRecordsOf(kernelPixels(cpu.valuesOf(inputs.x), a), a.perImage);
  return cpu.makeTensorInfo([words.length / MOMENT_RECORD_WORDS, MOMENT_RECORD_WORDS], 'int32', words);
}

export const momentsConfig: KernelConfig = { kernelName: PixelprepMoments, backendName: 'cpu', kernelFunc: moments };
