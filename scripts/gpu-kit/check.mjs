// Correctness on the GPU host, without a test framework: pixelprep's fused
// webgpu kernel (and the tensorflow backend when tfjs-node-gpu is present)
// against an independent float64 reference, for every method × per × scope ×
// layout × input kind, plus statistics reduced on the device and a full-size
// batch. Prints the adapter first and writes results/check.json.
//
//   node kit/check.mjs [--backends webgpu,tensorflow] [--large] [--deadline <epoch ms>] [--out results/check.json]
//   node kit/check.mjs --adapter-only      (print the adapter and stop)
//
// Exit status: 0 all checks passed, 1 a check failed, 2 the webgpu backend cannot run.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fromDist, fromPackage, kitRoot, parseFlags, secondsLeft } from './kit_paths.mjs';
import { groupStats, maxError, randomBytes, reference } from './reference.mjs';

const flags = parseFlags(process.argv.slice(2), ['large', 'adapter-only']);
const out = flags.out ?? join(kitRoot, 'results', 'check.json');
const deadline = flags.deadline === undefined ? Infinity : Number(flags.deadline);
const lanesWanted = (flags.backends ?? 'webgpu').split(',').filter(Boolean);

const tf = await fromPackage('@tensorflow/tfjs-core');
const px = await fromDist('index.js');
const { formatAdapter } = await fromDist('kernels/webgpu/adapter.js');

const METHODS = ['normalize', 'center', 'standardize', 'positive-standardize', 'min-max'];
const PERS = ['channel', 'global'];
const SCOPES = ['image', 'batch'];
const LAYOUTS = ['channels_last', 'channels_first'];
const KINDS = ['uint8 raw', 'int32 tensor', 'float32 tensor', 'float32 raw'];
const TOLERANCE = 1e-6;
/** Means and stds reduced on the device against float64 (DESIGN.md: ≤ 1e-7 relative). */
const STATS_TOLERANCE = 1e-7;
/** Keeps the last few seconds for writing the report. */
const RESERVE_SECONDS = 3;

const started = performance.now();
const report = {
  format: 'pixelprep-gpu-kit-check',
  version: 1,
  node: `${process.version} (${process.execPath})`,
  adapter: null,
  lanes: [],
  passed: false,
  complete: true,
  durationSeconds: 0,
};

function describeInput(kind, bytes, shape) {
  const values = Float64Array.from(bytes, (v, i) => (kind.startsWith('float') ? v + (i % 4) * 0.25 : v));
  if (kind === 'uint8 raw') return { make: () => ({ data: bytes, shape }), values };
  if (kind === 'float32 raw') return { make: () => ({ data: Float32Array.from(values), shape }), values };
  if (kind === 'int32 tensor') return { make: () => tf.tensor(Int32Array.from(bytes), shape, 'int32'), values };
  return { make: () => tf.tensor(Float32Array.from(values), shape, 'float32'), values };
}

/** Runs one check; records pass, failure (with the reason) or a skip for the deadline. */
async function attempt(lane, name, body) {
  if (secondsLeft(deadline) < RESERVE_SECONDS) {
    lane.skipped.push(name);
    report.complete = false;
    return;
  }
  const before = tf.memory().numTensors;
  try {
    const { error, tolerance } = await body();
    const leaked = tf.memory().numTensors - before;
    lane.worstError = Math.max(lane.worstError, error);
    if (error <= tolerance && leaked === 0) {
      lane.passed++;
    } else {
      lane.failures.push(`${name}: ${error > tolerance ? `error ${error.toExponential(2)} > ${tolerance}` : `${leaked} tensors leaked`}`);
    }
  } catch (error) {
    lane.failures.push(`${name}: threw ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

async function readAndDispose(y) {
  const values = await y.data();
  y.dispose();
  return values;
}

/** Every method × per × scope × layout × input kind on the current backend. */
async function coreSpec(lane, kernel) {
  for (const layout of LAYOUTS) {
    // 27 × 17 pixels: an odd count, so packed uint8 words end mid-image.
    const shape = layout === 'channels_last' ? [3, 27, 17, 3] : [3, 3, 27, 17];
    const bytes = randomBytes(3 * 27 * 17 * 3, 7);
    for (const kind of KINDS) {
      const input = describeInput(kind, bytes, shape);
      for (const method of METHODS) {
        for (const per of PERS) {
          for (const scope of SCOPES) {
            await attempt(lane, `${method} per ${per} scope ${scope} ${layout} ${kind}`, async () => {
              const x = input.make();
              const y = px.scale(x, { method, per, scope, layout, kernel });
              const actual = await readAndDispose(y);
              if (x instanceof tf.Tensor) x.dispose();
              return { error: maxError(actual, reference({ data: input.values, shape, layout, method, per, scope })), tolerance: TOLERANCE };
            });
          }
        }
      }
    }
  }
}

/** Per-channel statistics reduced on the device against two-pass float64. */
async function deviceStats(lane, shape, seed) {
  await attempt(lane, `device statistics [${shape}]`, async () => {
    const bytes = randomBytes(shape.reduce((a, b) => a * b, 1), seed);
    const stats = await px.computeStatsOnDevice({ data: bytes, shape });
    let error = 0;
    for (let c = 0; c < 3; c++) {
      const indices = new Uint32Array(bytes.length / 3).map((_, k) => k * 3 + c);
      const g = groupStats(bytes, indices);
      error = Math.max(error, Math.abs(stats.mean[c] - g.mean) / g.mean, Math.abs(stats.std[c] - g.std) / g.std);
    }
    return { error, tolerance: STATS_TOLERANCE };
  });
}

/** A full-size batch, where dispatch limits and packed-word tails would show. */
async function fullSize(lane, shape, kernel) {
  const bytes = randomBytes(shape.reduce((a, b) => a * b, 1), 21);
  for (const method of ['normalize', 'standardize']) {
    await attempt(lane, `${method} per channel scope batch [${shape}] uint8`, async () => {
      const actual = await readAndDispose(px.scale({ data: bytes, shape }, { method, per: 'channel', scope: 'batch', kernel }));
      return { error: maxError(actual, reference({ data: bytes, shape, layout: 'channels_last', method, per: 'channel', scope: 'batch' })), tolerance: TOLERANCE };
    });
  }
}

async function save() {
  report.durationSeconds = Math.round((performance.now() - started) / 100) / 10;
  report.passed = report.lanes.some((l) => l.available) && report.lanes.every((l) => !l.available || l.failures.length === 0) && report.lanes.find((l) => l.backend === 'webgpu')?.available !== false;
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
}

const adapterReport = await px.describeWebGpuAdapter();
if (adapterReport.available) {
  const a = adapterReport.adapter;
  report.adapter = { ...a, line: formatAdapter(a) };
  console.log(`adapter: ${formatAdapter(a)}`);
  console.log(`  vendor=${a.vendor || '?'} architecture=${a.architecture || '?'} device=${a.device || '?'} description=${a.description || '?'}`);
  console.log(`  isFallbackAdapter=${a.isFallbackAdapter} software=${a.software}`);
  const gpuName = process.env.PIXELPREP_KIT_GPU_NAME;
  if (a.software && gpuName) console.log(`WARNING: nvidia-smi lists '${gpuName}' but Dawn chose a software adapter: the GPU's Vulkan driver was not loaded (see the ICD lines above)`);
} else {
  report.adapter = { available: false, reason: adapterReport.reason };
  console.log(`adapter: none (${adapterReport.reason})`);
}

if (flags['adapter-only']) process.exit(adapterReport.available ? 0 : 2);

const availability = await px.listBackends();
for (const backend of lanesWanted) {
  const status = availability.find((b) => b.name === backend);
  const lane = { backend, available: Boolean(status?.available), reason: status?.reason ?? null, passed: 0, failures: [], skipped: [], worstError: 0 };
  report.lanes.push(lane);
  if (!lane.available) {
    console.log(`${backend}: not available (${lane.reason ?? 'unknown backend'})`);
    continue;
  }
  await px.setBackend(backend);
  tf.env().set('PROD', true);
  if (backend === 'webgpu') {
    const limits = tf.backend().device?.limits;
    if (limits && report.adapter) report.adapter.limits = { maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize, maxBufferSize: limits.maxBufferSize, maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension };
  }
  const kernel = backend === 'webgpu' ? 'fused' : 'auto';
  await coreSpec(lane, kernel);
  if (backend === 'webgpu') {
    await deviceStats(lane, [8, 16, 16, 3], 11);
    await deviceStats(lane, [32, 224, 224, 3], 12);
  }
  await fullSize(lane, [32, 224, 224, 3], kernel);
  if (flags.large) await fullSize(lane, [256, 224, 224, 3], kernel);
  const total = lane.passed + lane.failures.length;
  console.log(`${backend}: ${lane.passed}/${total} checks passed, worst error ${lane.worstError.toExponential(2)}${lane.skipped.length ? `, ${lane.skipped.length} skipped for the time budget` : ''}`);
  for (const failure of lane.failures.slice(0, 20)) console.log(`  FAIL ${failure}`);
  await save();
}
await save();
console.log(`checks ${report.passed ? 'passed' : 'FAILED'} in ${report.durationSeconds} s${report.complete ? '' : ' (incomplete: the time budget ran out)'}`);
process.exitCode = report.lanes.find((l) => l.backend === 'webgpu' && !l.available) ? 2 : report.passed ? 0 : 1;
