/**
 * The GPU host benchmark: for each case of the grid, pixelprep on webgpu
 * (the fused WGSL kernel, end to end and with upload, kernel and readback
 * timed apart), the tfjs op chain on webgpu, the fused cpu and wasm kernels,
 * `scaleInto` on the host, and the tfjs cpu op chain (and tensorflow's when
 * tfjs-node-gpu is present), all in one process so the ratios are same-run.
 * Runs against a wall-clock deadline: a measurement whose estimated time
 * would overrun it is skipped and listed, and `onProgress` sees the result
 * after every case so a killed run still leaves its reports.
 */
import * as tf from '@tensorflow/tfjs-core';
import { listBackends, setBackend, type BackendName } from '../backends/select.js';
import type { RawBatch } from '../core/input.js';
import { AffinePlan } from '../core/plan.js';
import { formatAdapter, type WebGpuAdapterSummary } from '../kernels/webgpu/adapter.js';
import { createOutputBuffer } from '../kernels/wasm/wasm_simd.js';
import { activeAdapter as activeWebGpuAdapter } from '../backends/webgpu/register.js';
import { BENCH_DTYPES, BENCH_METHODS, caseBytes, caseLabel, expandGrid, type BenchCase, type GridAxes } from './grid.js';
import { knownBandwidth } from './gpu_bandwidth.js';
import { describeMachine } from './machine.js';
import { measure, measureRoundRobin, type MeasureOptions, type Timing } from './measure.js';
import { attachRatios, checkTargets } from './ratios.js';
import { HOST, type BenchResult, type BenchRow, type Implementation, type SkippedCase } from './result.js';
import { syntheticBatch } from './synthetic.js';
import { TimeBudget } from './time_budget.js';
import { timeWebGpuAffine } from './webgpu_timing.js';
import { inputTensor, memcpyOf, opChain, pixelprepInto, pixelprepScale, release, settle } from './workloads.js';

/** Where the bandwidth a kernel is compared with comes from. */
export type BandwidthSource = 'datasheet' | 'given' | 'host memcpy (software adapter)' | 'unknown';

export interface GpuGridConfig {
  /** Cases; run in order of image size, dtype, batch (small first, so costs are learned before big cases). */
  grid: GridAxes;
  /** Backends to run besides the host rows, in order (those unavailable are noted). */
  backends: readonly BackendName[];
  /** Epoch milliseconds by which the run must end. */
  deadline: number;
  timing: MeasureOptions;
  /** Cases over this many bytes of input + output are skipped. */
  maxBytes: number;
  /** The GPU's name as the driver tool reports it (nvidia-smi), for the bandwidth table; null when unknown. */
  gpuName: string | null;
  /** Peak memory bandwidth in GB/s to compare kernels with, overriding the datasheet table; null to look it up. */
  bandwidthGBs: number | null;
  /** Mode label for the report. */
  mode: 'quick' | 'full';
}

/** Upload, kernel and readback of one case on webgpu, apart (medians, ms). */
export interface PhaseRow extends BenchCase {
  /** 'fused': pixelprep's WGSL kernel from packed uint8/float32; 'composite': the tfjs op chain from int32/float32. */
  kernel: 'fused' | 'composite';
  uploadMs: number;
  kernelMs: number;
  downloadMs: number;
  totalMs: number;
  uploadBytes: number;
  downloadBytes: number;
  /** Host → device GB/s. */
  uploadGBs: number;
  /** Device bytes read + written by the kernel per second (GB/s). */
  kernelGBs: number;
  /** Device → host GB/s. */
  downloadGBs: number;
  /** kernelGBs over the bandwidth in `gpu.bandwidthGBs`; null when unknown. */
  ofBandwidth: number | null;
  repeats: number;
}

export interface GpuGridResult extends BenchResult {
  gpu: {
    name: string | null;
    adapter: WebGpuAdapterSummary | null;
    bandwidthGBs: number | null;
    bandwidthSource: BandwidthSource;
    bandwidthName: string | null;
  };
  budget: { deadline: string; finished: boolean };
  phases: PhaseRow[];
}

export interface GpuGridHooks {
  log?: (line: string) => void;
  /** Called with the result so far after every case (write partial reports here). */
  onProgress?: (result: GpuGridResult) => Promise<void> | void;
}

/** The methods the GPU grid times (statistics on the device included for standardize). */
export const GPU_GRID_METHODS = ['normalize', 'standardize'] as const;

/** The default grid: batch 1–256 of 224² and 512² RGB, uint8 and float32. */
export const GPU_FULL_GRID: GridAxes = { methods: GPU_GRID_METHODS, batches: [1, 8, 32, 128, 256], sizes: [224, 512], dtypes: BENCH_DTYPES };

/** The quick grid: batches 1, 8 and 32 of 224² uint8. */
export const GPU_QUICK_GRID: GridAxes = { methods: GPU_GRID_METHODS, batches: [1, 8, 32], sizes: [224], dtypes: ['uint8'] };

const NORMALIZE_PLAN = new AffinePlan({ images: 1, channels: 3, scale: [1 / 255, 1 / 255, 1 / 255], offset: [0, 0, 0], clip: null, post: null });

/** Small cases first: image size, then dtype, then batch, then method. */
function priorityOrder(cases: BenchCase[]): BenchCase[] {
  const rank = (list: readonly string[], v: string) => list.indexOf(v);
  return [...cases].sort((a, b) => a.size - b.size || rank(BENCH_DTYPES, a.dtype) - rank(BENCH_DTYPES, b.dtype) || a.batch - b.batch || rank(BENCH_METHODS, a.method) - rank(BENCH_METHODS, b.method));
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

function makeRow(c: BenchCase, backend: string, impl: Implementation, timing: Timing, bytes = caseBytes(c)): BenchRow {
  const seconds = timing.median / 1000;
  return { ...c, backend, impl, bytesIn: bytes.bytesIn, bytesOut: bytes.bytesOut, timing, gbPerS: (bytes.bytesIn + bytes.bytesOut) / seconds / 1e9, imagesPerS: c.batch / seconds, ratios: {} };
}

/** Measures the host memory floor: a copy of 64 MB, GB/s counting bytes read + written. */
async function hostMemcpyGBs(timing: MeasureOptions): Promise<number> {
  const bytes = 64e6;
  const t = await measure(memcpyOf(bytes), { ...timing, maxSeconds: 0.5 });
  return (2 * bytes) / (t.median / 1000) / 1e9;
}

/**
 * Runs the GPU grid until done or the deadline.
 * @example
 * const result = await runGpuGrid({ grid: GPU_QUICK_GRID, backends: ['webgpu', 'wasm', 'cpu'], deadline: Date.now() + 90_000, timing: { warmup: 1, repeats: 5, maxSeconds: 0.25 }, maxBytes: 2e9, gpuName: null, bandwidthGBs: null, mode: 'quick' });
 */
export async function runGpuGrid(config: GpuGridConfig, hooks: GpuGridHooks = {}): Promise<GpuGridResult> {
  const log = hooks.log ?? (() => undefined);
  const started = performance.now();
  const budget = new TimeBudget(config.deadline);
  const timing = config.timing;
  const availability = await listBackends();
  const machine = describeMachine(availability);
  const available = new Set(availability.filter((b) => b.available).map((b) => b.name));
  const notes: string[] = [];
  for (const name of config.backends) {
    if (!available.has(name)) notes.push(`backend '${name}' skipped: ${availability.find((b) => b.name === name)?.reason ?? 'unknown backend'}`);
  }
  const backends = config.backends.filter((b) => available.has(b));
  const { cases: gridCases, skipped: overCap } = expandGrid(config.grid, config.maxBytes);
  const cases = priorityOrder(gridCases);
  const skipped: SkippedCase[] = overCap.map((c) => ({ ...c, backend: 'all', reason: `over the ${config.maxBytes / 1e6} MB cap on input + output bytes` }));
  const rows: BenchRow[] = [];
  const phases: PhaseRow[] = [];

  // The bandwidth kernels are compared with: given, from the datasheet, or (a software adapter uses host memory) host memcpy.
  let adapter: WebGpuAdapterSummary | null = null;
  if (backends.includes('webgpu')) {
    await setBackend('webgpu');
    adapter = activeWebGpuAdapter();
  }
  const datasheet = knownBandwidth([config.gpuName, adapter?.device, adapter?.description]);
  const gpu: GpuGridResult['gpu'] = { name: config.gpuName, adapter, bandwidthGBs: null, bandwidthSource: 'unknown', bandwidthName: null };
  if (config.bandwidthGBs !== null) Object.assign(gpu, { bandwidthGBs: config.bandwidthGBs, bandwidthSource: 'given' });
  else if (datasheet && !adapter?.software) Object.assign(gpu, { bandwidthGBs: datasheet.gbPerS, bandwidthSource: 'datasheet', bandwidthName: datasheet.name });
  else if (adapter?.software) Object.assign(gpu, { bandwidthGBs: await hostMemcpyGBs(timing), bandwidthSource: 'host memcpy (software adapter)' });

  const result = (finished: boolean): GpuGridResult => {
    const ordered = attachRatios([...rows]);
    return {
      format: 'pixelprep-bench',
      version: 1,
      mode: config.mode,
      startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
      durationSeconds: Math.round((performance.now() - started) / 100) / 10,
      machine,
      settings: { warmup: timing.warmup ?? 1, repeats: timing.repeats ?? 7, maxSeconds: timing.maxSeconds ?? 1, maxBytes: config.maxBytes },
      rows: ordered,
      skipped: [...skipped],
      targets: checkTargets(ordered),
      notes: [...notes],
      gpu,
      budget: { deadline: new Date(config.deadline).toISOString(), finished },
      phases: [...phases],
    };
  };

  /**
   * Runs `body` (which returns the ms of one run) if its estimate fits the deadline;
   * learns its cost, or lists it as skipped. `runs`: a fixed number of runs, else
   * `tasks` workloads measured side by side under `timing`.
   */
  const budgeted = async (c: BenchCase, backend: string, what: string, size: { tasks?: number; runs?: number }, body: () => Promise<number>) => {
    const { bytesIn, bytesOut } = caseBytes(c);
    const bytes = bytesIn + bytesOut;
    const key = `${backend} ${what} ${c.dtype} ${c.method}`;
    const estimate = size.runs === undefined ? budget.estimateMs(key, bytes, timing, size.tasks ?? 1) : budget.estimateRunsMs(key, bytes, size.runs);
    if (!budget.allows(estimate)) {
      skipped.push({ ...c, backend, reason: `${what}: would overrun the deadline (${estimate === null ? 'no time left' : `estimated ${(estimate / 1000).toFixed(1)} s, ${(Math.max(0, budget.remainingMs()) / 1000).toFixed(1)} s left`})` });
      return;
    }
    try {
      budget.learn(key, bytes, await body());
    } catch (error) {
      notes.push(`${backend} ${what} ${caseLabel(c)} failed: ${firstLine(error)}`);
    }
  };
  const push = (row: BenchRow) => {
    rows.push(row);
    log(`${row.backend.padEnd(10)} ${row.impl.padEnd(9)} ${caseLabel(row).padEnd(32)} ${row.timing.median.toFixed(3).padStart(10)} ms ${row.gbPerS.toFixed(2).padStart(8)} GB/s`);
    return row.timing.median;
  };

  const phaseRepeats = timing.repeats ?? 5;
  const phaseWarmup = Math.max(1, timing.warmup ?? 1);
  const webgpuEntry = machine.backends.find((b) => b.name === 'webgpu');
  if (webgpuEntry && adapter) webgpuEntry.adapter = formatAdapter(adapter);

  let x: RawBatch | null = null;
  let xKey = '';
  for (const c of cases) {
    const key = `${c.batch}/${c.size}/${c.dtype}`;
    if (key !== xKey) {
      x = null; // let the previous batch go before making the next
      x = syntheticBatch(c);
      xKey = key;
    }
    const batch = x ?? syntheticBatch(c);

    const into = pixelprepInto(c.method);
    if (into) {
      await budgeted(c, HOST, 'scaleInto', {}, async () => {
        await setBackend('cpu');
        const out = createOutputBuffer(batch.data.length);
        return push(makeRow(c, HOST, 'scaleInto', await measure(() => into(batch, out), timing)));
      });
    }
    for (const backend of backends) {
      await setBackend(backend);
      tf.env().set('PROD', true);
      const before = tf.memory().numTensors;
      if (backend === 'webgpu' && c.method === 'normalize') {
        for (const kernel of ['fused', 'composite'] as const) {
          await budgeted(c, backend, `phases ${kernel}`, { runs: phaseRepeats + phaseWarmup }, async () => {
            const t = await timeWebGpuAffine(batch, NORMALIZE_PLAN, { kernel, repeats: phaseRepeats, warmup: phaseWarmup });
            const kernelGBs = (t.uploadBytes + t.downloadBytes) / t.kernelMs / 1e6;
            phases.push({
              ...c,
              kernel,
              uploadMs: t.uploadMs,
              kernelMs: t.kernelMs,
              downloadMs: t.downloadMs,
              totalMs: t.totalMs,
              uploadBytes: t.uploadBytes,
              downloadBytes: t.downloadBytes,
              uploadGBs: t.uploadBytes / t.uploadMs / 1e6,
              kernelGBs,
              downloadGBs: t.downloadBytes / t.downloadMs / 1e6,
              ofBandwidth: gpu.bandwidthGBs ? kernelGBs / gpu.bandwidthGBs : null,
              repeats: t.repeats,
            });
            log(`${backend.padEnd(10)} ${kernel.padEnd(9)} ${caseLabel(c).padEnd(32)} upload ${t.uploadMs.toFixed(2)} kernel ${t.kernelMs.toFixed(2)} readback ${t.downloadMs.toFixed(2)} ms`);
            return t.totalMs;
          });
        }
      }
      const scaleTask = async () => {
        const y = pixelprepScale(c.method, batch);
        await settle(y);
        release(y);
      };
      if (backend === 'wasm') {
        await budgeted(c, backend, 'scale', {}, async () => push(makeRow(c, backend, 'scale', await measure(scaleTask, timing))));
      } else {
        await budgeted(c, backend, 'scale + op chain', { tasks: 2 }, async () => {
          const input = inputTensor(batch);
          try {
            const chainTask = async () => {
              const y = opChain(c.method, input);
              await settle(y);
              release(y);
            };
            const both = await measureRoundRobin({ scale: scaleTask, opChain: chainTask }, timing);
            // The slower of the two paces the pair's cost.
            return Math.max(push(makeRow(c, backend, 'scale', both.scale)), push(makeRow(c, backend, 'opChain', both.opChain)));
          } finally {
            input.dispose();
          }
        });
      }
      const leaked = tf.memory().numTensors - before;
      if (leaked !== 0) notes.push(`${backend} ${caseLabel(c)}: ${leaked} tensors not released`);
    }
    await hooks.onProgress?.(result(false));
  }
  return result(true);
}
