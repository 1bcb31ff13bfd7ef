/**
 * Adapter reporting and the software-adapter policy: lavapipe, llvmpipe and
 * SwiftShader count as software; auto selection never picks webgpu on one.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { getBackend, listBackends, ready, setBackend } from '../../src/backends/select.js';
import { formatAdapter, summarizeAdapter } from '../../src/kernels/webgpu/adapter.js';
import { dawnOptions } from '../../src/backends/webgpu/navigator.js';
import { describeWebGpuAdapter } from '../../src/backends/webgpu/register.js';
import { describeWebGpu } from './webgpu_lane.js';

describe('adapter summaries', () => {
  it('Mesa lavapipe (info as Dawn reports it with Mesa 25) is software', () => {
    const s = summarizeAdapter({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)', isFallbackAdapter: true });
    expect(s).toMatchObject({ vendor: 'mesa', architecture: 'software', isFallbackAdapter: true, software: true });
    expect(formatAdapter(s)).toBe('mesa software (llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)), software adapter');
  });

  it('SwiftShader is software by name even when no fallback flag is reported', () => {
    expect(summarizeAdapter({ vendor: 'google', architecture: '', description: 'SwiftShader Device (Subzero)' }).software).toBe(true);
  });

  it('a discrete GPU is hardware; a fallback flag on the adapter itself still counts', () => {
    const nvidia = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100 80GB HBM3', isFallbackAdapter: false };
    expect(summarizeAdapter(nvidia).software).toBe(false);
    expect(formatAdapter(summarizeAdapter(nvidia))).toBe('nvidia hopper (NVIDIA H100 80GB HBM3)');
    expect(summarizeAdapter({ vendor: 'x' }, true)).toMatchObject({ isFallbackAdapter: true, software: true });
    expect(summarizeAdapter({})).toMatchObject({ vendor: '', description: '', software: false });
  });

  it('PIXELPREP_WEBGPU_ADAPTER picks a Dawn adapter by name', () => {
    expect(dawnOptions({ PIXELPREP_WEBGPU_ADAPTER: ' llvmpipe (LLVM 15.0.6, 256 bits) ' })).toEqual(['adapter=llvmpipe (LLVM 15.0.6, 256 bits)']);
    expect(dawnOptions({})).toEqual([]);
  });
});

describeWebGpu('adapter report', () => {
  it('listBackends reports webgpu available, and describeWebGpuAdapter names the adapter in use', async () => {
    expect((await listBackends()).find((b) => b.name === 'webgpu')).toEqual({ name: 'webgpu', available: true });
    const report = await describeWebGpuAdapter();
    if (!report.available) throw new Error(report.reason);
    expect(report.inUse).toBe(true);
    expect(report.adapter.vendor.length + report.adapter.description.length).toBeGreaterThan(0);
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('auto selection (ready without PIXELPREP_BACKEND) does not take a software adapter', async () => {
    const report = await describeWebGpuAdapter();
    if (!report.available) throw new Error(report.reason);
    const chosen = await ready({});
    if (report.adapter.software) expect(chosen).not.toBe('webgpu');
    expect(getBackend()).toBe(chosen);
    await setBackend('webgpu');
  });

  it('PIXELPREP_BACKEND=webgpu selects it by name, software adapter or not', async () => {
    await setBackend('cpu');
    expect(await ready({ PIXELPREP_BACKEND: 'webgpu' })).toBe('webgpu');
    expect(getBackend()).toBe('webgpu');
  });
});
