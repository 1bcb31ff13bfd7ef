/** Picks the code that runs the convolution passes. */
import { PixelprepError } from '../core/errors.js';
import { JS_PASSES, type PassEngine } from './convolution.js';
import type { ResampleImplementation } from './options.js';
import { WASM_PASSES, wasmPassesAvailable } from './wasm_passes.js';

/** True when this runtime runs the WebAssembly SIMD passes. */
export const wasmResampleAvailable = wasmPassesAvailable;

/**
 * The passes for an implementation choice: 'auto' takes WebAssembly SIMD when the runtime has it.
 * @throws PixelprepError E_BACKEND when 'wasm' is asked for and the runtime lacks WebAssembly SIMD.
 */
export function passEngine(implementation: ResampleImplementation): PassEngine {
  if (implementation === 'js') return JS_PASSES;
  if (wasmPassesAvailable()) return WASM_PASSES;
  if (implementation === 'wasm') throw new PixelprepError('E_BACKEND', "Expected WebAssembly SIMD for implementation 'wasm' but this runtime does not run it");
  return JS_PASSES;
}
