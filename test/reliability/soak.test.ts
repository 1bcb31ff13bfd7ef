/**
 * Soak: each public function called many times on each lane, with tensor
 * count and RSS sampled. 500 calls by default; PIXELPREP_SOAK=10000 for the long run.
 * Calls that do not touch a backend (files, JSON, decoding) run once, in 'soak host'.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AffinePlan, StatsAccumulator, computeImageStats, computeStats, createScaler, deprocessInput, fitStats, fitWhitening, mergeStats, preprocessInput, scale, scaleInto, setBackend } from '../../src/index.js';
import { decodeImage, decodeNpy, encodeNpy, loadStats, mergeShards, rawToTensor, saveStats, statsFromJSON, statsToJSON } from '../../src/node/index.js';
import { randomBytes } from '../core/reference.js';
import { describeLanes } from '../helpers/lanes.js';
import { encodePng } from '../helpers/png_writer.js';

const CALLS = Number(process.env.PIXELPREP_SOAK ?? 500);
const RSS_BUDGET_MB = 64;
/** Time for one function's soak: the slowest lane (lavapipe) takes about 5 ms a call. */
const TIMEOUT_MS = Math.max(60_000, CALLS * 20);
const WARM_UP = Math.min(200, Math.max(20, Math.round(CALLS / 20)));

const x = { data: randomBytes(4 * 32 * 32 * 3, 99), shape: [4, 32, 32, 3] };
const grey = { data: randomBytes(32 * 32, 7), shape: [32, 32, 1] };
const out = new Float32Array(x.data.length);
const stats = computeStats(x);
const scaler = createScaler({ method: 'standardize', stats });
const plan = scaler.plan();
const pca = await fitWhitening([x], { kind: 'pca' });
const png = encodePng(x.data.subarray(0, 16 * 16 * 3), 16, 16, 3);
const npy = encodeNpy({ data: x.data, shape: x.shape });

/** Calls a throwing function and checks that it threw a PixelprepError (what the soak measures is that it leaks nothing). */
async function rejects(run: () => unknown, code: string): Promise<void> {
  try {
    await run();
  } catch (error) {
    if ((error as { code?: unknown }).code === code) return;
    throw error;
  }
  throw new Error(`expected ${code}`);
}

type Call = (kernel: 'auto' | 'composite') => unknown;

/**
 * Reads a result and frees it, as a training loop does. On webgpu the read
 * matters: tfjs defers GPU work that nothing waits for, and a loop that never
 * reads grows the process (measured: the plain tfjs op chain, too).
 */
async function consume(...tensors: tf.Tensor[]): Promise<void> {
  try {
    await tensors[tensors.length - 1].data();
  } finally {
    tf.dispose(tensors);
  }
}

const laneCalls: Record<string, Call> = {
  scale: (kernel) => consume(scale(x, { method: 'positive-standardize', scope: 'batch', kernel })),
  'Scaler.apply': () => consume(scaler.apply(x)),
  'AffinePlan.apply + invert': (kernel) => {
    const y = plan.apply(x, { kernel });
    return consume(y, plan.invert(y, { kernel }));
  },
  'preprocessInput + deprocessInput': (kernel) => {
    const y = preprocessInput(x, 'caffe', { kernel });
    return consume(y, deprocessInput(y, 'caffe', { kernel }));
  },
  'Whitening.apply + invert': (kernel) => {
    const y = pca.apply(x, { kernel });
    return consume(y, pca.invert(y, { kernel }));
  },
  'rawToTensor + Scaler.apply on the tensor': () => {
    const t = rawToTensor(x);
    return consume(t, scaler.apply(t));
  },
  'computeStats of a tensor': () => {
    const t = tf.tensor(x.data, x.shape, 'int32');
    computeStats(t);
    t.dispose();
  },
  fitStats: () => fitStats([x, x], { range: [0, 255] }),
  'error path: NaN': (kernel) => rejects(() => consume(scale({ data: new Float32Array([NaN, 1]), shape: [1, 2] }, { method: 'normalize', kernel })), 'E_VALUE'),
  'error path: channels that do not match a tensor': (kernel) => {
    const t = tf.tensor(grey.data, grey.shape, 'int32');
    return rejects(() => createScaler({ method: 'standardize', stats, kernel }).apply(t), 'E_SHAPE').finally(() => t.dispose());
  },
};

let folder = '';
const hostCalls: Record<string, Call> = {
  scaleInto: () => scaleInto(x, out, { method: 'normalize' }),
  computeStats: () => computeStats(x),
  computeImageStats: () => computeImageStats(x),
  mergeStats: () => mergeStats(stats, stats),
  'StatsAccumulator + mergeShards': () => mergeShards(new StatsAccumulator().add(x).add(x).result(), stats),
  'AffinePlan JSON': () => AffinePlan.fromJSON(JSON.parse(JSON.stringify(plan))),
  'stats JSON': () => statsFromJSON(JSON.parse(JSON.stringify(statsToJSON(stats)))),
  'saveStats + loadStats (atomic write, fsync)': async () => {
    await saveStats(join(folder, 'stats.json'), stats);
    await loadStats(join(folder, 'stats.json'));
  },
  'decodeImage (sharp)': () => decodeImage(png),
  'encodeNpy + decodeNpy': () => decodeNpy(encodeNpy(decodeNpy(npy))),
  'error path: a truncated stats file': () => rejects(() => loadStats(join(folder, 'truncated.json')), 'E_FORMAT'),
  'error path: a truncated image': () => rejects(() => decodeImage(png.subarray(0, 60)), 'E_FORMAT'),
};

/** Calls `call` CALLS times after a warm-up; returns the tensor counts and RSS before and after. */
async function soak(label: string, call: Call, kernel: 'auto' | 'composite') {
  const run = async () => {
    const result = call(kernel);
    if (result instanceof Promise) await result;
  };
  // Warm up first: allocator pools, JIT and tfjs' buffer caches settle before the baseline is taken.
  // tfjs-webgpu keeps freed GPU buffers in pools that grow to a plateau over the first few hundred
  // calls (Whitening apply + invert, whose colour transform is a matMul there: +76 MB over its first
  // 500 calls, then +2-4 MB per 500), so that lane warms up for as many calls as it measures.
  const warmUp = label.startsWith('webgpu ') ? Math.max(WARM_UP, CALLS) : WARM_UP;
  for (let i = 0; i < warmUp; i++) await run();
  const tensors = tf.memory().numTensors;
  const rss = process.memoryUsage().rss;
  for (let i = 0; i < CALLS; i++) await run();
  const after = { tensors: tf.memory().numTensors, rss: process.memoryUsage().rss };
  const growthMb = (after.rss - rss) / 2 ** 20;
  console.info(`soak ${label} × ${CALLS}: tensors ${tensors} → ${after.tensors}, RSS ${(rss / 2 ** 20).toFixed(0)} MB → ${(after.rss / 2 ** 20).toFixed(0)} MB (${growthMb >= 0 ? '+' : ''}${growthMb.toFixed(1)} MB)`);
  expect(after.tensors).toBe(tensors);
  expect(growthMb).toBeLessThan(RSS_BUDGET_MB);
}

describe('soak host', () => {
  beforeAll(async () => {
    await setBackend('cpu');
    folder = await mkdtemp(join(tmpdir(), 'pixelprep-soak-'));
    await writeFile(join(folder, 'truncated.json'), JSON.stringify(statsToJSON(stats)).slice(0, 100));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });
  for (const [name, call] of Object.entries(hostCalls)) {
    it(`${name} × ${CALLS}: no tensor growth, bounded RSS`, () => soak(`host ${name}`, call, 'auto'), TIMEOUT_MS);
  }
});

await describeLanes((lane) => {
  for (const [name, call] of Object.entries(laneCalls)) {
    it(`${name} × ${CALLS}: no tensor growth, bounded RSS`, () => soak(`${lane.name} ${name}`, call, lane.kernel === 'composite' ? 'composite' : 'auto'), TIMEOUT_MS);
  }
}, 'soak');
