/**
 * Runs the benchmark grid: host rows (scaleInto, JS loop, memcpy, numpy) once
 * per case, then pixelprep `scale` and the naive op chain on every backend,
 * all in one process so their ratios are measured side by side.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getBackend, listBackends, setBackend, type BackendName } from '../backends/select.js';
import type { RawBatch } from '../core/input.js';
import { createOutputBuffer } from '../kernels/wasm/wasm_simd.js';
import { caseBytes, caseLabel, expandGrid, type BenchCase } from './grid.js';
import { activeAdapter, describeMachine } from './machine.js';
import { measure, measureRoundRobin, type MeasureOptions, type Timing } from './measure.js';
import { runNumpyBaseline } from './numpy_baseline.js';
import type { BenchConfig } from './options.js';
import { attachRatios, checkTargets } from './ratios.js';
import { HOST, type BenchResult, type BenchRow, type Implementation, type SkippedCase } from './result.js';
import { syntheticBatch } from './synthetic.js';
import { freshOutput, inputTensor, jsLoop, memcpyOf, opChain, pixelprepInto, pixelprepScale, release, settle } from './workloads.js';

export interface RunHooks {
  /** Progress lines (one per measured row). Default: none. */
  log?: (line: string) => void;
}

function makeRow(c: BenchCase, backend: string, impl: Implementation, timing: Timing, bytes = caseBytes(c)): BenchRow {
  const seconds = timing.median / 1000;
  return {
    ...c,
    backend,
    impl,
    bytesIn: bytes.bytesIn,
    bytesOut: bytes.bytesOut,
    timing,
    gbPerS: (bytes.bytesIn + bytes.bytesOut) / seconds / 1e9,
    imagesPerS: c.batch / seconds,
    ratios: {},
  };
}

/** Runs the benchmark described by `config` and returns every row with its ratios and the targets. */
export async function runBench(config: BenchConfig, hooks: RunHooks = {}): Promise<BenchResult> {
  const log = hooks.log ?? (() => undefined);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const notes: string[] = [];
  const availability = await listBackends();
  const machine = describeMachine(availability);
  const available = availability.filter((b) => b.available).map((b) => b.name);
  const wanted: BackendName[] = config.backends ?? available;
  for (const name of wanted) {
    if (!available.includes(name)) notes.push(`backend '${name}' skipped: ${availability.find((b) => b.name === name)?.reason ?? 'unknown'}`);
  }
  const backends = wanted.filter((b) => available.includes(b));
  const { cases, skipped: overCap } = expandGrid(config.grid, config.maxBytes);
  const unchained = config.grid.methods.filter((m) => !config.chainMethods.includes(m));
  if (unchained.length > 0) notes.push(`tfjs op chain timed only for ${config.chainMethods.join(', ') || 'no method'} (not ${unchained.join(', ')}); the full mode times every method`);
  const skipped: SkippedCase[] = overCap.map((c) => ({ ...c, backend: 'all', reason: `over the ${config.maxBytes / 1e6} MB cap on input + output bytes` }));
  const timing: MeasureOptions = { warmup: config.warmup, repeats: config.repeats, maxSeconds: config.maxSeconds };
  const rows: BenchRow[] = [];
  const push = (row: BenchRow) => {
    rows.push(row);
    log(`${row.backend.padEnd(10)} ${row.impl.padEnd(9)} ${caseLabel(row).padEnd(40)} ${row.timing.median.toFixed(3).padStart(10)} ms  ${row.gbPerS.toFixed(2).padStart(7)} GB/s`);
  };

  const batches = new Map<string, RawBatch>();
  const batchOf = (c: BenchCase) => {
    const key = `${c.batch}/${c.size}/${c.dtype}`;
    let x = batches.get(key);
    if (!x) {
      batches.clear(); // keep one batch alive at a time: the grid is ordered so equal inputs are adjacent
      x = syntheticBatch(c);
      batches.set(key, x);
    }
    return x;
  };

  // Host rows, independent of the tfjs backend, timed round-robin per case.
  if (available.includes('cpu')) await setBackend('cpu');
  for (const c of cases) {
    const x = batchOf(c);
    const bytes = caseBytes(c);
    const copied = bytes.bytesOut || bytes.bytesIn;
    const into = pixelprepInto(c.method);
    const tasks: Partial<Record<Implementation, () => unknown>> = {};
    if (into) {
      const buffer = createOutputBuffer(x.data.length);
      const array = new Float32Array(x.data.length).fill(0);
      tasks.scaleInto = () => into(x, buffer);
      tasks.scaleIntoArray = () => into(x, array);
    }
    tasks.jsLoop = () => jsLoop(c.method, x);
    tasks.memcpy = memcpyOf(copied);
    if (bytes.bytesOut > 0) tasks.alloc = () => freshOutput(x.data.length);
    const timings = await measureRoundRobin(tasks, timing);
    for (const [impl, t] of Object.entries(timings) as [Implementation, Timing][]) {
      const rowBytes = impl === 'memcpy' ? { bytesIn: copied, bytesOut: copied } : impl === 'alloc' ? { bytesIn: 0, bytesOut: bytes.bytesOut } : bytes;
      push(makeRow(c, HOST, impl, t, rowBytes));
    }
  }

  if (config.numpy) {
    const numpy = runNumpyBaseline(cases, { warmup: config.warmup, repeats: config.repeats, maxSeconds: config.maxSeconds });
    machine.numpy = numpy.version;
    if (numpy.skipped) notes.push(`numpy baseline skipped: ${numpy.skipped}`);
    for (const c of cases) {
      const t = numpy.timings.get(caseLabel(c));
      if (t) push(makeRow(c, HOST, 'numpy', t));
    }
  } else {
    notes.push('numpy baseline not requested (--no-numpy)');
  }

  for (const backend of backends) {
    await setBackend(backend);
    tf.env().set('PROD', true);
    const entry = machine.backends.find((b) => b.name === backend);
    const adapter = activeAdapter();
    if (entry && adapter) entry.adapter = adapter;
    for (const c of cases) {
      const x = batchOf(c);
      const before = tf.memory().numTensors;
      // A backend that fails a case (a driver error, a lost device) is noted, and the run goes on.
      const attempt = async (impl: Implementation, run: () => Promise<Timing>) => {
        try {
          push(makeRow(c, getBackend(), impl, await run()));
        } catch (error) {
          notes.push(`${backend} ${impl} ${caseLabel(c)} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        }
      };
      const scaleTask = async () => {
        const y = pixelprepScale(c.method, x);
        await settle(y);
        release(y);
      };
      if (!config.chainMethods.includes(c.method)) {
        await attempt('scale', () => measure(scaleTask, timing));
      } else {
        const input = inputTensor(x);
        const chainTask = async () => {
          const y = opChain(c.method, input);
          await settle(y);
          release(y);
        };
        try {
          const both = await measureRoundRobin({ scale: scaleTask, opChain: chainTask }, timing);
          push(makeRow(c, getBackend(), 'scale', both.scale));
          push(makeRow(c, getBackend(), 'opChain', both.opChain));
        } catch {
          // One of the two failed: time them apart so the other still gets its row, and the failure its note.
          await attempt('scale', () => measure(scaleTask, timing));
          await attempt('opChain', () => measure(chainTask, timing));
        }
        input.dispose();
      }
      const leaked = tf.memory().numTensors - before;
      if (leaked !== 0) notes.push(`${backend} ${caseLabel(c)}: ${leaked} tensors not released`);
    }
  }

  attachRatios(rows);
  return {
    format: 'pixelprep-bench',
    version: 1,
    mode: config.quick ? 'quick' : 'full',
    startedAt,
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
    machine,
    settings: { warmup: config.warmup, repeats: config.repeats, maxSeconds: config.maxSeconds, maxBytes: config.maxBytes },
    rows,
    skipped,
    targets: checkTargets(rows),
    notes,
  };
}
