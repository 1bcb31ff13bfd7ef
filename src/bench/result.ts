/**
 * The benchmark's result: one row per measured (backend, case, implementation),
 * ratios to the baselines measured in the same run, the speed targets, and
 * the machine. This is the JSON the suite writes.
 */
import type { BenchCase } from './grid.js';
import type { MachineInfo } from './machine.js';
import type { Timing } from './measure.js';

/**
 * What a row timed:
 * - `scale`: pixelprep's allocating call on the backend (returns a tensor);
 * - `scaleInto`: pixelprep into a reused array from `createOutputBuffer`, which
 *   the SIMD kernel writes directly (host, any backend);
 * - `scaleIntoArray`: the same into an ordinary reused Float32Array;
 * - `opChain`: the naive tfjs op chain on the backend;
 * - `jsLoop`: a plain JS loop written the obvious way;
 * - `memcpy`: a copy of the same bytes into a buffer allocated once (the memory floor);
 * - `alloc`: allocating a fresh float32 output and touching each page once, the
 *   floor of any call that returns new memory (page faults; costly on some VMs);
 * - `numpy`: the tutorial's numpy code.
 */
export const IMPLEMENTATIONS = ['scale', 'scaleInto', 'scaleIntoArray', 'opChain', 'jsLoop', 'memcpy', 'alloc', 'numpy'] as const;
export type Implementation = (typeof IMPLEMENTATIONS)[number];

/** Baselines pixelprep rows are compared with. */
export type Baseline = 'opChain' | 'jsLoop' | 'numpy' | 'memcpy' | 'alloc';

/** Backend name for rows that do not depend on the tfjs backend. */
export const HOST = 'host';

export interface BenchRow extends BenchCase {
  /** tfjs backend, or 'host' for scaleInto and the host baselines. */
  backend: string;
  impl: Implementation;
  bytesIn: number;
  bytesOut: number;
  timing: Timing;
  /** (bytesIn + bytesOut) / median time, in GB/s (1e9 bytes). */
  gbPerS: number;
  imagesPerS: number;
  /**
   * For pixelprep rows: speed-up over each baseline (baseline time / this
   * time), except `memcpy`, the fraction of memcpy's bandwidth reached, and
   * `alloc`, the share of this row's time a fresh output allocation alone takes.
   */
  ratios: Partial<Record<Baseline, number>>;
}

export interface SkippedCase extends BenchCase {
  backend: string;
  reason: string;
}

/** One speed target checked against this run. */
export interface TargetCheck {
  name: string;
  /** The measured ratio, or null when a row it needs was not measured. */
  value: number | null;
  goal: number;
  /** 'atLeast': value ≥ goal; 'atMost': value ≤ goal. */
  sense: 'atLeast' | 'atMost';
  met: boolean | null;
}

export interface BenchResult {
  format: 'pixelprep-bench';
  version: 1;
  mode: 'quick' | 'full';
  startedAt: string;
  durationSeconds: number;
  machine: MachineInfo;
  settings: { warmup: number; repeats: number; maxSeconds: number; maxBytes: number };
  rows: BenchRow[];
  skipped: SkippedCase[];
  targets: TargetCheck[];
  notes: string[];
}
