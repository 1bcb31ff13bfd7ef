/**
 * tfjs-backend-webgpu's backend with pixelprep's guard rails:
 *
 * - every read checks the device watch first and after the download, so a
 *   WebGPU validation error or a lost device surfaces as an E_BACKEND error
 *   instead of zeros;
 * - outputs of the fused kernel computed from float data that lived only on
 *   the GPU are scanned when read: a NaN or ±Infinity there becomes E_VALUE;
 * - synchronous reads (dataSync, arraySync) of data that is only on the GPU
 *   throw a clear E_BACKEND error: tfjs would read through OffscreenCanvas,
 *   which Node lacks, and Dawn for Node has no blocking readback;
 * - values uploaded from the host stay readable on the host, so dataSync of
 *   a tensor made from host data keeps working after it was used on the GPU.
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { BackendValues, DataId } from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';
import type { WebGpuAdapterSummary } from './adapter.js';
import { DeviceWatch } from './errors.js';

/** The webgpu backend pixelprep registers. */
export interface PixelprepWebGpuBackend extends WebGPUBackend {
  /** The adapter the device came from. */
  readonly adapter: WebGpuAdapterSummary;
  /** Errors and loss of this backend's device. */
  readonly watch: DeviceWatch;
  /** Marks a tensor's data to be scanned for NaN/±Infinity when it is read (fused-kernel outputs from GPU-only float input). */
  scanWhenRead(dataId: DataId): void;
  /** The host copy of a tensor's values, or null when they exist only on the GPU. */
  hostValues(dataId: DataId): BackendValues | null;
}

/** True for a backend made by `defineBackendClass` (the kernels run only on it). */
export function isPixelprepBackend(backend: unknown): backend is PixelprepWebGpuBackend {
  return typeof backend === 'object' && backend !== null && 'watch' in backend && backend.watch instanceof DeviceWatch;
}

/** Builds the backend class on top of tfjs' (loaded at run time: it is an optional dependency). */
export function defineBackendClass(Base: typeof WebGPUBackend): new (device: GPUDevice, info: GPUAdapterInfo, adapter: WebGpuAdapterSummary) => PixelprepWebGpuBackend {
  return class extends Base implements PixelprepWebGpuBackend {
    readonly adapter: WebGpuAdapterSummary;
    readonly watch: DeviceWatch;
    private readonly toScan = new WeakSet<DataId>();

    constructor(device: GPUDevice, info: GPUAdapterInfo, adapter: WebGpuAdapterSummary) {
      super(device, info);
      this.adapter = adapter;
      this.watch = new DeviceWatch(device);
    }

    scanWhenRead(dataId: DataId): void {
      this.toScan.add(dataId);
    }

    hostValues(dataId: DataId): BackendValues | null {
      return this.tensorMap.has(dataId) ? (this.tensorMap.get(dataId).values ?? null) : null;
    }

    override uploadToGPU(dataId: DataId): void {
      const data = this.tensorMap.get(dataId);
      const values = data.values;
      super.uploadToGPU(dataId);
      // tfjs drops the host copy once uploaded; keeping it lets synchronous reads of host-made tensors work.
      if (values && data.resource) data.values = values;
    }

    override async read(dataId: object): Promise<BackendValues> {
      // Errors are judged after the read: it submits the pending work, so one exception covers the whole failed batch.
      this.watch.checkLost('reading a tensor');
      const values = await super.read(dataId);
      // Dawn delivers a failed submission's errors in later event rounds: wait until the queue is idle before judging.
      await this.queue.onSubmittedWorkDone();
      this.watch.check('reading a tensor');
      this.scan(dataId, values);
      return values;
    }

    override readSync(dataId: object): BackendValues {
      this.watch.check('reading a tensor');
      const values = this.hostValues(dataId);
      if (values === null) {
        throw new PixelprepError(
          'E_BACKEND',
          'Expected an asynchronous read (await tensor.data() or tensor.array()) of a tensor that lives on the WebGPU device but received a synchronous one (dataSync, arraySync): Node has no blocking GPU readback',
        );
      }
      this.scan(dataId, values);
      return values;
    }

    private scan(dataId: object, values: BackendValues): void {
      if (!this.toScan.has(dataId) || !(values instanceof Float32Array)) return;
      const n = values.length;
      let acc = 0;
      // x * 0 is NaN exactly for NaN and ±Infinity.
      for (let i = 0; i < n; i++) acc += values[i] * 0;
      if (acc === 0) {
        this.toScan.delete(dataId);
        return;
      }
      const at = values.findIndex((v) => !Number.isFinite(v));
      throw new PixelprepError(
        'E_VALUE',
        `Expected finite pixel values in x but the WebGPU kernel met NaN or ±Infinity (the input lived on the GPU, so it was checked there), or the plan overflowed float32: output flat index ${at} is ${values[at]}`,
      );
    }
  };
}
