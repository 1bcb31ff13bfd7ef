/** pixelprep: exact, fast pixel scaling for deep learning with TensorFlow.js. */
export { ERROR_CODES, PixelprepError, isPixelprepError, type ErrorCode } from './errors.js';
export { LAYOUTS, SPATIAL_DIMS, resolveGeometry, type Geometry, type Layout, type SpatialDims } from './layout.js';
export type { PixelArray, PixelDtype, PixelInput, RawBatch } from './input.js';
export { METHODS, PERS, SCOPES, ZERO_VARIANCE_POLICIES, type Method, type Per, type Scope, type ZeroVariancePolicy } from './methods.js';
export { AffinePlan, type AffineCoefficients, type AffinePlanJSON, type PlanApplyOptions } from './plan.js';
export { KERNEL_CHOICES, type KernelChoice } from './kernels/index.js';
export { Scaler, createScaler, scale, scaleInto, type ReferenceStats, type ScalerJSON, type ScalerOptions } from './scaler.js';
export { computeImageStats, computeStats, type StatsOptions } from './compute_stats.js';
export { mergeStats, validateStats, type PixelStats, type StatsSummary } from './stats/pixel_stats.js';
export { BACKENDS, getBackend, listBackends, ready, setBackend, type BackendAvailability, type BackendName } from './backend.js';
export * from './presets/index.js';
export * from './dataset/index.js';
export * from './whitening/index.js';
export * from './webgpu/index.js';
export * from './io/index.js';
export * from './bench/index.js';
export { createOutputBuffer } from './kernels/wasm_simd.js';
