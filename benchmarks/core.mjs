#!/usr/bin/env node
// The speed targets on [32,224,224,3] uint8 → float32, measured round-robin:
// every implementation runs once per round, so a noisy neighbour on a shared
// machine slows all of them alike and the ratios of medians stay meaningful.
// Usage: npm run build && node benchmarks/core.mjs [rounds]   (npm run bench:core)
import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../dist/backends/select.js';
import { syntheticBatch } from '../dist/bench/synthetic.js';
import { summarize } from '../dist/bench/measure.js';
import { runNumpyBaseline } from '../dist/bench/numpy_baseline.js';
import { freshOutput, inputTensor, memcpyOf, opChain, pixelprepInto, pixelprepScale, release } from '../dist/bench/workloads.js';
import { createOutputBuffer } from '../dist/kernels/wasm/wasm_simd.js';

const rounds = Number(process.argv[2] ?? 15);
const x = syntheticBatch({ batch: 32, size: 224, dtype: 'uint8' });
const n = x.data.length;
const bytes = { in: n, out: 4 * n };
const normalizeInto = pixelprepInto('normalize');
const standardizeInto = pixelprepInto('standardize');
const buffer = createOutputBuffer(n);
const array = new Float32Array(n).fill(0);
const memcpy = memcpyOf(bytes.out);

await setBackend('wasm');
const wasmInput = inputTensor(x);
await setBackend('cpu');
tf.env().set('PROD', true);
const cpuInput = inputTensor(x);

const onCpu = (fn) => fn;
const tasks = {
  memcpy: onCpu(() => memcpy()),
  alloc: onCpu(() => freshOutput(n)),
  'scaleInto normalize': onCpu(() => normalizeInto(x, buffer)),
  'scaleInto normalize (array)': onCpu(() => normalizeInto(x, array)),
  'scaleInto standardize': onCpu(() => standardizeInto(x, buffer)),
  'scale normalize': onCpu(() => release(pixelprepScale('normalize', x))),
  'scale standardize': onCpu(() => release(pixelprepScale('standardize', x))),
  'op chain cpu': onCpu(() => release(opChain('normalize', cpuInput))),
  'op chain wasm': async () => {
    await setBackend('wasm');
    release(opChain('normalize', wasmInput));
    await setBackend('cpu');
  },
};
const samples = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
for (const fn of Object.values(tasks)) await fn(); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const [name, fn] of Object.entries(tasks)) {
    const start = performance.now();
    await fn();
    samples[name].push(performance.now() - start);
  }
}
// setBackend itself is inside the wasm op chain's samples: time it alone and subtract.
const switches = [];
for (let r = 0; r < rounds; r++) {
  const start = performance.now();
  await setBackend('wasm');
  await setBackend('cpu');
  switches.push(performance.now() - start);
}
const median = (name) => summarize(samples[name]).median;
const t = Object.fromEntries(Object.keys(tasks).map((k) => [k, median(k)]));
t['op chain wasm'] = Math.max(t['op chain wasm'] - summarize(switches).median, 1e-6);

const numpy = runNumpyBaseline([{ method: 'normalize', batch: 32, size: 224, dtype: 'uint8' }], { warmup: 2, repeats: rounds, maxSeconds: 10 });
const numpyMs = numpy.timings.get('normalize 32×224² uint8')?.median;

const gbps = (ms, total) => total / (ms / 1000) / 1e9;
console.log(`[32,224,224,3] uint8 → float32, ${rounds} rounds, medians (ms):`);
for (const [k, v] of Object.entries(t)) console.log(`  ${k.padEnd(30)} ${v.toFixed(3)}`);
console.log(`  ${'numpy tutorial normalize'.padEnd(30)} ${numpyMs === undefined ? `skipped: ${numpy.skipped}` : numpyMs.toFixed(3)}`);
const memcpyGbps = gbps(t.memcpy, 2 * bytes.out);
console.log('targets:');
const line = (name, value, goal) => console.log(`  ${name.padEnd(58)} ${value === undefined ? '–' : value.toFixed(2).padStart(7)}  (${goal})`);
line('scaleInto normalize / memcpy bandwidth', gbps(t['scaleInto normalize'], bytes.in + bytes.out) / memcpyGbps, '≥ 0.5');
line('scaleInto normalize (ordinary array) / memcpy bandwidth', gbps(t['scaleInto normalize (array)'], bytes.in + bytes.out) / memcpyGbps, '≥ 0.5');
line('scale normalize vs cpu op chain (×)', t['op chain cpu'] / t['scale normalize'], '≥ 30');
line('scale normalize vs wasm op chain (×)', t['op chain wasm'] / t['scale normalize'], '≥ 20');
line('scale normalize vs numpy (×)', numpyMs === undefined ? undefined : numpyMs / t['scale normalize'], '≥ 3');
line('scale standardize / scale normalize', t['scale standardize'] / t['scale normalize'], '≤ 2.5');
line('scaleInto standardize / scaleInto normalize', t['scaleInto standardize'] / t['scaleInto normalize'], '≤ 2.5');
line('fresh output allocation alone / scale normalize', t.alloc / t['scale normalize'], 'the allocation floor');
cpuInput.dispose();
await setBackend('wasm');
wasmInput.dispose();
