/**
 * What the webgl kernels need from tfjs-backend-webgl's MathBackendWebGL,
 * checked structurally so that nothing here imports the (optional) package
 * at run time, and the float32 render targets the kernels write to.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { PixelprepError } from '../../core/errors.js';

/** True when `backend` is tfjs-backend-webgl's backend (it runs GPGPU programs and holds a GL context). */
export function isWebGLBackend(backend: object): backend is MathBackendWebGL {
  return typeof Reflect.get(backend, 'runWebGLProgram') === 'function' && Reflect.get(backend, 'gpgpu') !== undefined;
}

/**
 * The webgl backend a kernel was handed, after checking it can run pixelprep's
 * programs: WebGL 2 (GLSL ES 3.00 integer and bit operations) and float32
 * render targets (WEBGL_RENDER_FLOAT32_ENABLED), without which outputs would
 * be rounded to float16.
 *
 * @throws PixelprepError E_BACKEND naming what is missing.
 */
export function webglBackendFor(backend: object, kernelName: string): MathBackendWebGL {
  if (!isWebGLBackend(backend)) {
    throw new PixelprepError('E_BACKEND', `Expected tfjs-backend-webgl's backend to run '${kernelName}' but received ${backend.constructor.name}`);
  }
  const version = tf.env().getNumber('WEBGL_VERSION');
  if (version !== 2) {
    throw new PixelprepError('E_BACKEND', `Expected WebGL 2 (GLSL ES 3.00) to run '${kernelName}' but this context is WebGL ${version}`);
  }
  if (!tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) {
    throw new PixelprepError('E_BACKEND', `Expected float32 render targets (WEBGL_RENDER_FLOAT32_ENABLED) to run '${kernelName}' but this WebGL context has none: outputs would be rounded to float16`);
  }
  return backend;
}
