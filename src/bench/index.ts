/** The benchmark suite: grid, timing, baselines, reports. */
export { BENCH_DTYPES, BENCH_METHODS, FULL_GRID, QUICK_GRID, TARGET_CASE, caseBytes, expandGrid, type BenchCase, type BenchDtype, type BenchMethod, type GridAxes } from './grid.js';
export { measure, summarize, type MeasureOptions, type Timing } from './measure.js';
export { DEFAULT_OUT_DIR, parseBenchOptions, type BenchConfig, type RawBenchOptions } from './options.js';
export { markdownReport } from './report_markdown.js';
export { svgChart } from './report_svg.js';
export { IMPLEMENTATIONS, type BenchResult, type BenchRow, type Implementation, type TargetCheck } from './result.js';
export { runBench } from './run_bench.js';
export { REPORT_FILES, writeReports } from './write_reports.js';
export { formatAdapter, summarizeAdapter, type AdapterInfoLike, type WebGpuAdapterSummary } from '../kernels/webgpu/adapter.js';
export { timeWebGpuAffine, type WebGpuAffineTimings, type WebGpuTimingOptions } from './webgpu_timing.js';
