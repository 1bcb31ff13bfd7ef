/**
 * The machine a benchmark ran on: CPU model and cores, memory, runtime
 * versions, every backend with its availability, and the GPU adapter where a
 * GPU backend ran. Numbers without the machine mean nothing.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendAvailability } from '../backends/select.js';
import { wasmSimdAvailable } from '../kernels/wasm/wasm_simd.js';

export interface MachineInfo {
  cpu: string;
  /** Logical cores this process may use. */
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  tfjs: string;
  /** Whether the CPU kernel runs WebAssembly SIMD here. */
  wasmSimd: boolean;
  backends: (BackendAvailability & { adapter?: string })[];
  /** numpy's version when the numpy baseline ran, else null. */
  numpy: string | null;
}

/** Describes this machine (adapters are filled in later, once a GPU backend is active). */
export function describeMachine(backends: readonly BackendAvailability[]): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() || 'unknown CPU',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    tfjs: tf.version_core,
    wasmSimd: wasmSimdAvailable(),
    backends: backends.map((b) => ({ ...b })),
    numpy: null,
  };
}

const ADAPTER_FIELDS = ['vendor', 'architecture', 'device', 'description'] as const;

/**
 * A one-line description of the active tfjs backend's GPU adapter, read from
 * whichever property the backend keeps it in; null when it exposes none.
 */
export function activeAdapter(): string | null {
  const backend: unknown = tf.backend();
  for (const key of ['adapterSummary', 'adapterInfo', 'adapter']) {
    const info: unknown = Reflect.get(Object(backend), key);
    if (info === null || typeof info !== 'object') continue;
    const parts = ADAPTER_FIELDS.map((field) => Reflect.get(info, field)).filter((v): v is string => typeof v === 'string' && v.length > 0);
    const fallback = Reflect.get(info, 'isFallbackAdapter') === true ? ' (software fallback adapter)' : '';
    if (parts.length > 0) return `${[...new Set(parts)].join(' ')}${fallback}`;
  }
  return null;
}
