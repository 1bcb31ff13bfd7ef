/**
 * `navigator.gpu` for Node, from Dawn's bindings (the `webgpu` package).
 *
 * tfjs-backend-webgpu looks for `navigator.gpu` when it is evaluated and again
 * when a backend is constructed, and its shaders use the WebGPU globals
 * (GPUBufferUsage, GPUMapMode...). So the GPU object and those globals are
 * installed first, and the tfjs package is imported dynamically afterwards.
 */
import { PixelprepError } from '../../core/errors.js';

/** Environment variable naming a Dawn adapter, e.g. 'llvmpipe (LLVM 15.0.6, 256 bits)' (Dawn lists the names when it finds none). */
export const ADAPTER_ENV = 'PIXELPREP_WEBGPU_ADAPTER';

/** How to add the webgpu backend's optional peers (both are needed in Node). */
export const WEBGPU_INSTALL = 'npm install webgpu @tensorflow/tfjs-backend-webgpu';

let installing: Promise<GPU> | null = null;

const DAWN_PACKAGE: string = 'webgpu';

/** Dawn's options from the environment: `adapter=<name>` when PIXELPREP_WEBGPU_ADAPTER is set. */
export function dawnOptions(env: Record<string, string | undefined> = globalThis.process?.env ?? {}): string[] {
  const adapter = env[ADAPTER_ENV]?.trim();
  return adapter ? [`adapter=${adapter}`] : [];
}

/**
 * Returns `navigator.gpu`, creating it from the `webgpu` package once per process
 * when the runtime has none.
 *
 * @throws PixelprepError E_BACKEND when the `webgpu` package is missing or fails to load.
 * @example
 * const gpu = await installNavigatorGpu();
 * const adapter = await gpu.requestAdapter();
 */
export function installNavigatorGpu(): Promise<GPU> {
  installing ??= install().catch((error: unknown) => {
    installing = null;
    throw error;
  });
  return installing;
}

async function install(): Promise<GPU> {
  const existing = currentNavigatorGpu();
  if (existing) return existing;
  let dawn: typeof import('webgpu');
  try {
    // A computed specifier: bundlers for the browser (which has navigator.gpu) must not pull Dawn in.
    dawn = (await import(/* @vite-ignore */ DAWN_PACKAGE)) as typeof import('webgpu');
  } catch (error) {
    const text = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const reason = /Cannot find (package|module) 'webgpu'/.test(text) ? `the optional package webgpu (Dawn for Node) is not installed (${WEBGPU_INSTALL})` : `the webgpu package failed to load: ${text}`;
    throw new PixelprepError('E_BACKEND', reason, { cause: error });
  }
  // The WebGPU constants tfjs reads as globals; never overwrite what the runtime defines.
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const gpu = dawn.create(dawnOptions());
  const host: unknown = Reflect.get(globalThis, 'navigator');
  if (host !== null && typeof host === 'object') {
    // Node 21+ has a navigator object of its own: add gpu to it.
    Object.defineProperty(host, 'gpu', { value: gpu, configurable: true, writable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
  return gpu;
}

/** The runtime's `navigator.gpu`, if it has one. */
function currentNavigatorGpu(): GPU | null {
  const host: unknown = Reflect.get(globalThis, 'navigator');
  if (host === null || typeof host !== 'object') return null;
  const gpu: unknown = Reflect.get(host, 'gpu');
  return gpu !== null && typeof gpu === 'object' && 'requestAdapter' in gpu ? (gpu as GPU) : null;
}
