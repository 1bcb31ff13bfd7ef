// Fused WGSL kernel vs the tfjs op chain on the webgpu backend, upload, kernel
// and download apart, plus the fused CPU kernel for scale. Runs against dist/
// (npm run build first):
//
//   node benchmarks/webgpu.mjs [N H W C] [--repeats 5]
//
// Prints a Markdown table and one JSON line.
import { setBackend } from '../dist/backends/select.js';
import { runPlanInto } from '../dist/kernels/index.js';
import { AffinePlan } from '../dist/core/plan.js';
import { describeWebGpuAdapter } from '../dist/index.js';
import { formatAdapter, timeWebGpuAffine } from '../dist/bench/index.js';

const args = process.argv.slice(2);
const flag = args.indexOf('--repeats');
const repeats = flag >= 0 ? Number(args.splice(flag, 2)[1]) : 5;
const shape = args.length === 4 ? args.map(Number) : [32, 224, 224, 3];
const count = shape.reduce((a, b) => a * b, 1);

const bytes = new Uint8Array(count);
let seed = 12345;
for (let i = 0; i < count; i++) {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  bytes[i] = seed >>> 24;
}
const x = { data: bytes, shape };
// ImageNet per-channel standardization, the most common plan.
const mean = [123.68, 116.78, 103.94];
const std = [58.393, 57.12, 57.375];
const plan = new AffinePlan({ images: 1, channels: 3, scale: std.map((s) => 1 / s), offset: mean.map((m, c) => -m / std[c]), clip: null, post: null });

const report = await describeWebGpuAdapter();
if (!report.available) {
  console.error(`webgpu unavailable: ${report.reason}`);
  process.exit(1);
}
await setBackend('webgpu');
const fused = await timeWebGpuAffine(x, plan, { kernel: 'fused', repeats });
const composite = await timeWebGpuAffine(x, plan, { kernel: 'composite', repeats });

await setBackend('cpu');
const out = new Float32Array(count);
const host = { data: bytes, dtype: 'uint8', geometry: { shape, layout: 'channels_last', images: shape[0], channels: shape[3], pixels: shape[1] * shape[2], batched: true, hasChannelAxis: true } };
runPlanInto(host, plan, out);
const cpuRuns = [];
for (let r = 0; r < repeats; r++) {
  const t = performance.now();
  runPlanInto(host, plan, out);
  cpuRuns.push(performance.now() - t);
}
const cpuMs = cpuRuns.sort((a, b) => a - b)[Math.floor(repeats / 2)];

const ms = (v) => v.toFixed(2);
const gbps = (bytesMoved, t) => (bytesMoved / t / 1e6).toFixed(2);
console.log(`adapter: ${formatAdapter(fused.adapter)}`);
console.log(`batch [${shape.join(',')}] uint8, ImageNet standardize, median of ${repeats}\n`);
console.log('| path | upload ms | kernel ms | download ms | total ms | uploaded MB | kernel GB/s (in+out) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const t of [fused, composite]) {
  const label = t.kernel === 'fused' ? 'webgpu fused WGSL (uint8 packed)' : 'webgpu tfjs op chain (int32 upload)';
  console.log(`| ${label} | ${ms(t.uploadMs)} | ${ms(t.kernelMs)} | ${ms(t.downloadMs)} | ${ms(t.totalMs)} | ${(t.uploadBytes / 1e6).toFixed(1)} | ${gbps(t.uploadBytes + t.downloadBytes, t.kernelMs)} |`);
}
console.log(`| cpu fused JS kernel (host only) | – | ${ms(cpuMs)} | – | ${ms(cpuMs)} | – | ${gbps(count * 5, cpuMs)} |`);
console.log(`\ncomposite / fused: upload ${(composite.uploadMs / fused.uploadMs).toFixed(2)}x, kernel ${(composite.kernelMs / fused.kernelMs).toFixed(2)}x, total ${(composite.totalMs / fused.totalMs).toFixed(2)}x`);
console.log(JSON.stringify({ shape, repeats, fused, composite, cpuMs }));
