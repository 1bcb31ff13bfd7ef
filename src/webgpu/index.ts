/** The webgpu backend in Node: adapter report, device statistics, fused-kernel timings. */
export { formatAdapter, summarizeAdapter, type AdapterInfoLike, type WebGpuAdapterSummary } from './adapter.js';
export { ADAPTER_ENV } from './navigator.js';
export { describeWebGpuAdapter, type WebGpuAdapterReport } from './register.js';
export { computeStatsOnDevice, deviceMoments } from './device_stats.js';
export { timeWebGpuAffine, type WebGpuAffineTimings, type WebGpuTimingOptions } from './timing.js';
