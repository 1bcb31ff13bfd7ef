/**
 * Backend lanes: every spec runs on each lane available here; a missing lane is
 * reported as skipped with its reason, never silently passed.
 *
 * - cpu: the cpu backend's fused kernels (float64 host loops, WebAssembly SIMD).
 * - cpu-composite: the tfjs op chain on cpu, the ops the tensorflow (tfjs-node)
 *   kernel composes inside itself.
 * - wasm: the wasm backend's fused kernels, reading and writing its heap.
 * - tensorflow / webgpu: when their packages and hardware are present.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { listBackends, setBackend, type BackendName } from '../../src/backends/select.js';
import type { KernelChoice } from '../../src/kernels/index.js';

export interface Lane {
  name: string;
  backend: BackendName;
  kernel: KernelChoice;
  available: boolean;
  reason?: string;
}

const CANDIDATES: readonly Omit<Lane, 'available'>[] = [
  { name: 'cpu', backend: 'cpu', kernel: 'auto' },
  { name: 'cpu-composite', backend: 'cpu', kernel: 'composite' },
  { name: 'wasm', backend: 'wasm', kernel: 'auto' },
  { name: 'tensorflow', backend: 'tensorflow', kernel: 'auto' },
  { name: 'webgpu', backend: 'webgpu', kernel: 'auto' },
];

/** Every lane with its availability; PIXELPREP_LANES=cpu,wasm restricts the set. */
export async function lanes(): Promise<Lane[]> {
  const backends = await listBackends();
  const only = process.env.PIXELPREP_LANES?.split(',');
  return CANDIDATES.map((lane) => {
    const b = backends.find((x) => x.name === lane.backend);
    if (only && !only.includes(lane.name)) return { ...lane, available: false, reason: 'not in PIXELPREP_LANES' };
    return b?.available ? { ...lane, available: true } : { ...lane, available: false, reason: b?.reason ?? 'unknown backend' };
  });
}

/** Selects the lane's backend (call in beforeAll). */
export async function enterLane(lane: Lane): Promise<void> {
  await setBackend(lane.backend);
  tf.env().set('PROD', true);
}

/**
 * Declares `body` once per lane: inside a describe that enters the lane, or,
 * for a lane missing here, as a skipped test that carries the reason.
 */
export async function describeLanes(body: (lane: Lane) => void, prefix = 'lane'): Promise<void> {
  for (const lane of await lanes()) {
    if (!lane.available) {
      describe(`${prefix} ${lane.name}`, () => it.skip(`skipped: ${lane.reason}`, () => undefined));
      continue;
    }
    describe(`${prefix} ${lane.name}`, () => {
      beforeAll(() => enterLane(lane));
      body(lane);
    });
  }
}
