/**
 * Backend selection. pixelprep runs on the tfjs backend that is current;
 * `setBackend` loads and selects one by pixelprep's name for it, and
 * `ready()` applies PIXELPREP_BACKEND or picks the best available one.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { PixelprepError } from '../core/errors.js';
import { currentBackend } from '../core/kernel_registry.js';
// Selecting a backend makes pixelprep's kernels available on it.
import '../kernels/register_all_kernels.js';
import { oneOf } from '../core/validate.js';
import { describeWebGpuAdapter, loadWebGpu } from './webgpu/register.js';
import { keepingDefaultBackend } from './default_backend.js';

export const BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Whether a backend can run here, and why not when it cannot. */
export interface BackendAvailability {
  name: BackendName;
  available: boolean;
  reason?: string;
}

/** The packages that provide each backend, tried in order. */
const PACKAGES: Readonly<Record<BackendName, readonly string[]>> = {
  tensorflow: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
  webgpu: ['@tensorflow/tfjs-backend-webgpu'],
  wasm: ['@tensorflow/tfjs-backend-wasm'],
  cpu: ['@tensorflow/tfjs-backend-cpu'],
};

const loadErrors = new Map<BackendName, string>();

/** Imports the backend's package so it registers with tfjs; returns why it failed, or null. */
async function load(name: BackendName): Promise<string | null> {
  if (name === 'webgpu') return loadWebGpu();
  if (tf.findBackendFactory(name)) return null;
  const reasons: string[] = [];
  for (const pkg of PACKAGES[name]) {
    try {
      await import(pkg);
      if (tf.findBackendFactory(name)) return null;
      reasons.push(`${pkg} loaded but registered no '${name}' backend`);
    } catch (error) {
      reasons.push(isMissingModule(error, pkg) ? `${pkg} is not installed` : `${pkg} failed to load: ${firstLine(error)}`);
    }
  }
  const install = PACKAGES[name].at(-1);
  return `${reasons.join('; ')}${reasons.every((r) => r.endsWith('is not installed')) ? ` (npm install ${install})` : ''}`;
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** True when the import failed because the package itself is absent (not because it failed to start). */
function isMissingModule(error: unknown, pkg: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const text = firstLine(error);
  return code === 'ERR_MODULE_NOT_FOUND' || ((/Cannot find (package|module)|Could not resolve|Failed to (load|resolve)/.test(text)) && text.includes(pkg));
}

/** Reports every backend: available, or the reason it is not. */
export async function listBackends(): Promise<BackendAvailability[]> {
  const result: BackendAvailability[] = [];
  // Probing loads packages; tfjs's choice of default backend stays as it was.
  await keepingDefaultBackend(async () => {
    for (const name of BACKENDS) {
      const reason = loadErrors.get(name) ?? (await load(name));
      if (reason) loadErrors.set(name, reason);
      result.push(reason ? { name, available: false, reason } : { name, available: true });
    }
  });
  return result;
}

/**
 * Loads and selects a backend.
 * @throws PixelprepError E_BACKEND naming why the backend is unavailable.
 */
export async function setBackend(name: BackendName): Promise<BackendName> {
  oneOf('backend', name, BACKENDS);
  const reason = await load(name);
  if (reason) throw new PixelprepError('E_BACKEND', `Expected backend '${name}' to be available but ${reason}`);
  if (!(await tf.setBackend(name))) throw new PixelprepError('E_BACKEND', `Expected backend '${name}' to initialise but tfjs could not start it`);
  return name;
}

/** The current tfjs backend's name, starting one that starts synchronously if none has started yet (ready() or setBackend() choose any). */
export const getBackend = (): string => currentBackend();

/**
 * Selects the backend: PIXELPREP_BACKEND when set (an error when it cannot
 * run), else 'tensorflow' when tfjs-node(-gpu) is installed, else 'webgpu' on
 * a hardware (non-software) adapter, else 'wasm' when installed (the fused
 * kernel writes into its heap, whose memory is reused, while a fresh host
 * array costs page faults on first touch), else 'cpu'. On webgpu, results
 * live on the GPU: read them with `await tensor.data()` (Node has no
 * synchronous GPU readback).
 */
export async function ready(env: Record<string, string | undefined> = globalThis.process?.env ?? {}): Promise<string> {
  const wanted = env.PIXELPREP_BACKEND;
  if (wanted) return setBackend(oneOf('PIXELPREP_BACKEND', wanted, BACKENDS));
  if (!(await load('tensorflow'))) return setBackend('tensorflow');
  const gpu = await describeWebGpuAdapter();
  if (gpu.available && !gpu.adapter.software) return setBackend('webgpu');
  if (!(await load('wasm'))) return setBackend('wasm');
  return setBackend('cpu');
}
