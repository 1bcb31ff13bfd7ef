/**
 * Brings up the webgpu backend in Node: `navigator.gpu` from Dawn, an
 * adapter probe, then tfjs-backend-webgpu with pixelprep's backend factory
 * registered in its place (its kernels are in kernels/webgpu/, registered by
 * kernels/register_all_kernels.ts).
 *
 * The factory takes any adapter Dawn offers, software ones included: it runs
 * only when the backend is asked for by name (`setBackend('webgpu')`,
 * PIXELPREP_BACKEND=webgpu). It is registered at priority 0, below cpu, so
 * tfjs never starts it on its own.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';
import { summarizeAdapter, type WebGpuAdapterSummary } from '../../kernels/webgpu/adapter.js';
import { installCastGuard } from '../../kernels/webgpu/cast_guard.js';
import { WEBGPU_INSTALL, installNavigatorGpu } from './navigator.js';
import { defineBackendClass, isPixelprepBackend } from '../../kernels/webgpu/webgpu_backend.js';

const BACKEND = 'webgpu';
const PRIORITY = 0;

/** What a probe found: the adapter, or why there is none. */
export type AdapterProbe = { available: true; adapter: WebGpuAdapterSummary } | { available: false; reason: string };

let probing: Promise<AdapterProbe> | null = null;
let factory: (() => Promise<tf.KernelBackend>) | null = null;

/** Requests an adapter once per process (about 0.2 s on lavapipe) and summarizes it. */
export function probeAdapter(): Promise<AdapterProbe> {
  probing ??= (async (): Promise<AdapterProbe> => {
    try {
      const gpu = await installNavigatorGpu();
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (!adapter) return { available: false, reason: NO_ADAPTER };
      return { available: true, adapter: summarize(adapter) };
    } catch (error) {
      return { available: false, reason: reasonOf(error) };
    }
  })();
  return probing;
}

/**
 * Makes the webgpu backend selectable: returns null when `tf.setBackend('webgpu')`
 * can start it, else the reason it cannot. Replaces a backend whose device was lost.
 */
export async function loadWebGpu(): Promise<string | null> {
  const probe = await probeAdapter();
  if (!probe.available) return probe.reason;
  try {
    const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
    if (!factory) {
      const Backend = defineBackendClass(WebGPUBackend);
      factory = async () => {
        const gpu = await installNavigatorGpu();
        const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
        if (!adapter) throw new PixelprepError('E_BACKEND', NO_ADAPTER);
        const limits = adapter.limits;
        const device = await adapter.requestDevice({
          requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
          // tfjs sizes its dispatches and buffers by these; the defaults are far below what adapters offer.
          requiredLimits: {
            maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
            maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
            maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
            maxBufferSize: limits.maxBufferSize,
            maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
            maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
          },
        });
        return new Backend(device, adapter.info, summarize(adapter));
      };
      // PixelprepAffine and PixelprepMoments are registered with the others (kernels/register_all_kernels.ts).
      installCastGuard(isPixelprepBackend);
    }
    const current = tf.engine().registry[BACKEND];
    const stale = current !== undefined && (!isPixelprepBackend(current) || current.watch.lost);
    if (stale || tf.findBackendFactory(BACKEND) !== factory) {
      // tfjs-backend-webgpu registered its own factory (priority 3, any adapter) on import; a lost device is never recovered.
      if (tf.findBackendFactory(BACKEND) || current) tf.removeBackend(BACKEND);
      tf.registerBackend(BACKEND, factory, PRIORITY);
    }
    return null;
  } catch (error) {
    return reasonOf(error);
  }
}

/** The adapter of the running webgpu backend, or null when it has not started. */
export function activeAdapter(): WebGpuAdapterSummary | null {
  const current = tf.engine().registry[BACKEND];
  return isPixelprepBackend(current) ? current.adapter : null;
}

/** What `describeWebGpuAdapter` reports. */
export type WebGpuAdapterReport =
  | { available: true; adapter: WebGpuAdapterSummary; inUse: boolean }
  | { available: false; reason: string };

/**
 * The WebGPU adapter pixelprep would use (or uses), for `pixelprep info` and
 * for choosing a backend: auto selection should take webgpu only when
 * `available && !adapter.software`.
 *
 * @example
 * const report = await describeWebGpuAdapter();
 * console.log(report.available ? formatAdapter(report.adapter) : report.reason);
 */
export async function describeWebGpuAdapter(): Promise<WebGpuAdapterReport> {
  const active = activeAdapter();
  if (active) return { available: true, adapter: active, inUse: tf.getBackend() === BACKEND };
  const probe = await probeAdapter();
  return probe.available ? { ...probe, inUse: false } : probe;
}

const NO_ADAPTER =
  'no WebGPU adapter: Dawn found no usable Vulkan, Metal or D3D12 driver (on Debian, bash .ci/setup-vulkan.sh installs Mesa lavapipe)';

function summarize(adapter: GPUAdapter): WebGpuAdapterSummary {
  // Older implementations put isFallbackAdapter on the adapter rather than its info.
  const fallback: unknown = Reflect.get(adapter, 'isFallbackAdapter');
  return summarizeAdapter(adapter.info, fallback === true);
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (/Cannot find (package|module) '@tensorflow\/tfjs-backend-webgpu'/.test(text)) return `the optional package @tensorflow/tfjs-backend-webgpu is not installed (${WEBGPU_INSTALL})`;
  return text;
}
