/** Picks the code that runs the convolution passes. */
import { JS_PASSES, type PassEngine } from './convolution.js';
import type { ResampleImplementation } from './options.js';

export function passEngine(implementation: ResampleImplementation): PassEngine {
  void implementation;
  return JS_PASSES;
}
