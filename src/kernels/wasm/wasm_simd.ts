/**
 * The WebAssembly SIMD kernels' surface, split by job: memory_arena.ts (the
 * memories and createOutputBuffer), affine_runner.ts (affine runs),
 * float32_exactness.ts (when float32 arithmetic is exact), moments_runner.ts
 * (uint8 sums). The kernels themselves are emitted as bytes by
 * affine_module.ts and moments_module.ts through the hand encoder (encoder.ts).
 */
export { affineRunWasm } from './affine_runner.js';
export { choosePrecision, float32IsExact, splitScale, type AffineTail, type RunCoefficients } from './float32_exactness.js';
export { createOutputBuffer, kernelModuleBytes, MAX_OUTPUT_BUFFER_VALUES, WASM_MAX_CHANNELS, wasmInputOf, wasmSimdAvailable } from './memory_arena.js';
export { uint8ChannelSums, type ChannelSums } from './moments_runner.js';
