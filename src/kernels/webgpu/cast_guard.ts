/**
 * A Cast kernel for the webgpu backend that never leaves an int32 buffer
 * behind a float32 tensor.
 *
 * tfjs-backend-webgpu 4.22 casts int32 (and bool) to float32 without copying:
 * the float32 tensor keeps the int32 buffer, and shaders such as transpose
 * then fail WGSL validation and return zeros (reductions over inner axes of
 * rank ≥ 3 transpose internally and fail the same way; upstream
 * tensorflow/tfjs issue 8638). This kernel converts on the device into a real
 * float32 buffer and hands every other cast to tfjs' own kernel.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';
import type { PixelprepWebGpuBackend } from './webgpu_backend.js';

const WORKGROUP_SIZE = 64;

/** float32(x) for int32 or bool data, into a new float32 buffer. */
export class IntToFloatProgram implements WebGPUProgram {
  // tfjs assigns shaderKey, dispatch and pipeline when it runs the program.
  readonly variableNames = ['X'];
  readonly outputShape: number[];
  shaderKey = 'pixelprepIntToFloat';
  readonly dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [WORKGROUP_SIZE, 1, 1];
  readonly size = true;

  constructor(size: number) {
    this.outputShape = [size];
    this.dispatch = [Math.ceil(size / WORKGROUP_SIZE), 1, 1];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, f32(X[index]));
        }
      }
    `;
  }
}

/** Wraps tfjs' webgpu Cast so int32/bool → float32 copies into a float32 buffer. */
export function guardedCast(original: KernelConfig, isOurs: (backend: unknown) => backend is PixelprepWebGpuBackend): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const x = args.inputs.x;
    const dtype = args.attrs?.dtype;
    const backend = args.backend;
    if (!x || dtype !== 'float32' || (x.dtype !== 'int32' && x.dtype !== 'bool') || !isOurs(backend)) return original.kernelFunc(args);
    // Small host-resident tensors: tfjs' own cast runs on the CPU and makes fresh float32 values.
    if (backend.shouldExecuteOnCPU([x])) return original.kernelFunc(args);
    const size = tf.util.sizeFromShape(x.shape);
    if (size === 0) return backend.makeTensorInfo(x.shape, 'float32', new Float32Array(0));
    const flat = { dataId: x.dataId, shape: [size], dtype: x.dtype };
    const out = backend.runWebGPUProgram(new IntToFloatProgram(size), [flat], 'float32');
    return { dataId: out.dataId, shape: [...x.shape], dtype: 'float32' };
  };
  return { ...original, kernelFunc };
}

/** Replaces the registered webgpu Cast with the guarded one (once). */
export function installCastGuard(isOurs: (backend: unknown) => backend is PixelprepWebGpuBackend): void {
  const original = tf.getKernel('Cast', 'webgpu');
  if (!original) throw new PixelprepError('E_BACKEND', "Expected tfjs-backend-webgpu to register a 'Cast' kernel but found none");
  if (GUARDED.has(original.kernelFunc)) return;
  const guarded = guardedCast(original, isOurs);
  GUARDED.add(guarded.kernelFunc);
  tf.unregisterKernel('Cast', 'webgpu');
  tf.registerKernel(guarded);
}

const GUARDED = new WeakSet<object>();
