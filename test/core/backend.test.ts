/** Backend selection: the environment override, the automatic order, the reasons given. */
import { describe, expect, it } from 'vitest';
import { describeWebGpuAdapter, getBackend, listBackends, ready, scale } from '../../src/index.js';

describe('backend selection', () => {
  it('listing backends (which registers wasm above cpu) leaves scale() working before any backend was chosen', async () => {
    await listBackends();
    const y = scale({ data: new Uint8Array([0, 255]), shape: [1, 2] }, { method: 'normalize' });
    expect(Array.from(await y.data())).toEqual([0, 1]);
    y.dispose();
  });

  it('PIXELPREP_BACKEND picks the backend; an unknown or unavailable one is an error naming why', async () => {
    expect(await ready({ PIXELPREP_BACKEND: 'cpu' })).toBe('cpu');
    expect(getBackend()).toBe('cpu');
    await expect(ready({ PIXELPREP_BACKEND: 'cuda' })).rejects.toMatchObject({ code: 'E_ARGUMENT', message: expect.stringMatching(/PIXELPREP_BACKEND.*'cuda'/) });
    await expect(ready({ PIXELPREP_BACKEND: 'tensorflow' })).rejects.toMatchObject({ code: 'E_BACKEND', message: expect.stringMatching(/tfjs-node is not installed/) });
  });

  it('without an override: tensorflow, then a hardware webgpu adapter, then wasm, then cpu', async () => {
    const available = new Map((await listBackends()).map((b) => [b.name, b.available]));
    const gpu = await describeWebGpuAdapter();
    const hardwareGpu = gpu.available && !gpu.adapter.software;
    const expected = available.get('tensorflow') ? 'tensorflow' : hardwareGpu ? 'webgpu' : available.get('wasm') ? 'wasm' : 'cpu';
    const chosen = await ready({});
    expect(chosen).toBe(expected);
    expect(getBackend()).toBe(chosen);
  });

  it('every unavailable backend carries a reason', async () => {
    for (const b of await listBackends()) {
      if (!b.available) expect(b.reason).toMatch(/\w+/);
    }
  });
});
