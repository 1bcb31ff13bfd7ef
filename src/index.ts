/**
 * pixelprep: exact, fast pixel scaling for deep learning with TensorFlow.js.
 *
 * The root entry is browser-safe: it imports no Node built-in and no sharp.
 * Files, decoding, `.npy` and stats files are in `pixelprep/node`; the
 * tfjs-layers layer and tf.data helper in `pixelprep/layers`; the benchmark
 * harness in `pixelprep/bench`.
 */
import './kernels/register_all_kernels.js';

export { ERROR_CODES, PixelprepError, isPixelprepError, type ErrorCode } from './core/errors.js';
export { LAYOUTS, SPATIAL_DIMS, type Layout, type SpatialDims } from './core/layout.js';
export type { PixelArray, PixelDtype, PixelInput, RawBatch } from './core/input.js';
export { METHODS, PERS, SCOPES, ZERO_VARIANCE_POLICIES, type Method, type Per, type Scope, type ZeroVariancePolicy } from './core/methods.js';
export { AffinePlan, type AffineCoefficients, type AffinePlanJSON, type PlanApplyOptions } from './core/plan.js';
export { KERNEL_CHOICES, type KernelChoice } from './core/kernel_registry.js';
export { PixelprepAffine, PixelprepMoments, PIXEL_PACKINGS, type PixelPacking, type PixelprepAffineAttrs, type PixelprepMomentsAttrs } from './core/kernel_names.js';
export { Scaler, createScaler, scale, scaleInto, type ReferenceStats, type ScalerJSON, type ScalerOptions } from './core/scaler.js';
export { computeImageStats, computeStats, type StatsOptions } from './core/compute_stats.js';
export { mergeStats, validateStats, type PixelStats, type StatsSummary } from './core/pixel_stats.js';
export { BACKENDS, getBackend, listBackends, ready, setBackend, type BackendAvailability, type BackendName } from './backends/select.js';
export { describeWebGpuAdapter, type WebGpuAdapterReport } from './backends/webgpu/register.js';
export { computeStatsOnDevice } from './kernels/webgpu/device_stats.js';
export { deprocessInput, preprocessInput, type PreprocessOptions } from './presets/preprocess_input.js';
export { PRESET_MODES, type PresetMode } from './presets/modes.js';
export { MODELS, type ModelPreset } from './presets/models.js';
export { resolvePreset, type ResolvedPreset } from './presets/resolve_preset.js';
export { presetPlan, type PresetPlanOptions } from './presets/preset_plan.js';
export { fitStats, type FitOptions } from './dataset/fit_stats.js';
export { StatsAccumulator, type AccumulatorOptions, type AccumulatorState } from './dataset/stats_accumulator.js';
export type { DatasetLike, FitProgress, PixelSource } from './dataset/pixel_source.js';
export { fitWhitening, type WhiteningFitOptions } from './whitening/fit_whitening.js';
export { WHITENING_KINDS, Whitening, type WhiteningJSON, type WhiteningKind } from './whitening/whitening.js';
export { createOutputBuffer } from './kernels/wasm/wasm_simd.js';
export { PIL_KERNELS, type PilKernel } from './resample/filters.js';
export { DEFAULT_MAX_VALUES, RESAMPLE_IMPLEMENTATIONS, type PilResizeOptions, type ResampleImplementation } from './resample/options.js';
export { resize, type ResizedImage } from './resample/resize.js';
export { CONVENTIONS, CONVENTION_SETTINGS, type Convention, type ConventionSettings } from './core/conventions.js';
export { WHITENING_CONVENTIONS, type WhiteningConvention } from './whitening/whitening_conventions.js';
export { Preprocessor, type PreprocessorOptions, type PreprocessorSpec, type ResampleFunction, type ResampleImage, type ResampleKernel, type ResizeStep } from './presets/preprocessor.js';
export { CONFIG_FORMATS, PIL_RESAMPLE, preprocessorFromConfig, type ConfigFormat, type FromConfigOptions } from './presets/from_config.js';
export { PRETRAINED_CONFIGS, pretrainedPreprocessor, type PretrainedConfig } from './presets/families.js';
export type { CropRounding } from './presets/preprocessor_geometry.js';
