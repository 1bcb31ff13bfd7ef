// The benchmark grid on the GPU host, against a wall-clock deadline: webgpu
// fused (upload, kernel, readback apart) vs the webgpu op chain vs the fused
// cpu/wasm kernels vs the tfjs cpu op chain (and tensorflow when tfjs-node-gpu
// is present). Writes bench.json, bench.md and bench.svg into the results
// folder after every case, so a stopped run still leaves its reports.
//
//   node kit/bench.mjs [--quick] [--deadline <epoch ms>] [--out DIR] [--gpu-name NAME] [--bandwidth GBs]
//                      [--backends webgpu,wasm,cpu,tensorflow] [--batches 1,8] [--sizes 224] [--dtypes uint8]
//                      [--repeats N] [--seconds S] [--max-mb MB]
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fromDist, kitRoot, parseFlags } from './kit_paths.mjs';

const flags = parseFlags(process.argv.slice(2), ['quick']);
const quick = flags.quick === true;
const outDir = flags.out ?? join(kitRoot, 'results');
const list = (value, fallback, map = (v) => v) => (value === undefined ? fallback : value.split(',').filter(Boolean).map(map));
const number = (name, value, fallback) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Expected a positive number for --${name} but received '${value}'`);
  return n;
};

const { runGpuGrid, GPU_FULL_GRID, GPU_QUICK_GRID } = await fromDist('bench/gpu_grid.js');
const { gpuMarkdownReport } = await fromDist('bench/gpu_report.js');
const { svgChart } = await fromDist('bench/report_svg.js');
const { writeFileAtomic } = await fromDist('node/atomic_write.js');

const base = quick ? GPU_QUICK_GRID : GPU_FULL_GRID;
const config = {
  mode: quick ? 'quick' : 'full',
  grid: {
    methods: list(flags.methods, base.methods),
    batches: list(flags.batches, base.batches, Number),
    sizes: list(flags.sizes, base.sizes, Number),
    dtypes: list(flags.dtypes, base.dtypes),
  },
  backends: list(flags.backends, ['webgpu', 'wasm', 'cpu', 'tensorflow']),
  deadline: number('deadline', flags.deadline, Date.now() + (quick ? 90 : 400) * 1000),
  timing: quick ? { warmup: 1, repeats: number('repeats', flags.repeats, 5), maxSeconds: number('seconds', flags.seconds, 0.25) } : { warmup: 2, repeats: number('repeats', flags.repeats, 9), maxSeconds: number('seconds', flags.seconds, 1) },
  maxBytes: number('max-mb', flags['max-mb'], 2500) * 1e6,
  gpuName: flags['gpu-name'] || null,
  bandwidthGBs: flags.bandwidth === undefined ? null : number('bandwidth', flags.bandwidth),
};

await mkdir(outDir, { recursive: true });
const paths = { json: join(outDir, 'bench.json'), markdown: join(outDir, 'bench.md'), svg: join(outDir, 'bench.svg'), svgStandardize: join(outDir, 'bench-standardize.svg') };
async function write(result) {
  await writeFileAtomic(paths.json, `${JSON.stringify(result, null, 2)}\n`);
  await writeFileAtomic(paths.markdown, gpuMarkdownReport(result));
  await writeFileAtomic(paths.svg, svgChart(result, { method: 'normalize', dtype: result.rows.some((r) => r.dtype === 'uint8') ? 'uint8' : 'float32' }));
  await writeFileAtomic(paths.svgStandardize, svgChart(result, { method: 'standardize', dtype: result.rows.some((r) => r.dtype === 'uint8') ? 'uint8' : 'float32' }));
}

console.log(`bench: ${config.mode} grid, deadline in ${Math.round((config.deadline - Date.now()) / 1000)} s`);
const result = await runGpuGrid(config, { log: (line) => console.log(line), onProgress: write });
await write(result);
const deadlineSkips = result.skipped.filter((s) => s.reason.includes('deadline'));
console.log(`bench: ${result.rows.length} rows and ${result.phases.length} phase splits in ${result.durationSeconds} s; ${deadlineSkips.length} measurements skipped for the deadline${result.notes.length ? `; ${result.notes.length} notes` : ''}`);
for (const s of result.skipped) console.log(`  skipped ${s.backend} ${s.method} ${s.batch}×${s.size}² ${s.dtype}: ${s.reason}`);
for (const n of result.notes) console.log(`  note: ${n}`);
console.log(`bench: reports in ${outDir} (bench.json, bench.md, bench.svg, bench-standardize.svg)`);
