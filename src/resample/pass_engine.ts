/** Picks the code that runs the convolution passes. */
import { JS_PASSES, type PassEngine } from './convolution.js';
import type { ResampleImplementation } from './options.js';

/** True when this runtime runs the WebAssembly SIMD passes. */
export const wasmResampleAvailable = (): boolean => false;

export function passEngine(implementation: ResampleImplementation): PassEngine {
  void implementation;
  return JS_PASSES;
}
