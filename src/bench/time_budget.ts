/**
 * A wall-clock budget for a benchmark run: a deadline, and per-workload cost
 * estimates learned from what was already measured, so a measurement that
 * would overrun the deadline is skipped (and listed) instead of started.
 * GPU hosts are lent for minutes; a run that ends on time with a list of what
 * it left out beats one that is killed halfway.
 */
import { PixelprepError } from '../core/errors.js';
import type { MeasureOptions } from './measure.js';

/** Fewest timed runs `measure` makes whatever its budget (see measure.ts). */
const MIN_REPEATS = 3;

export class TimeBudget {
  private readonly msPerByte = new Map<string, number>();

  /**
   * @param deadline - Epoch milliseconds (as `Date.now()`) by which the run must end.
   * @param reserveMs - Time kept back for writing reports. Default 2000.
   * @param now - Clock, replaceable in tests. Default `Date.now`.
   * @throws PixelprepError E_ARGUMENT when the deadline or reserve is not a finite number.
   * @example
   * const budget = new TimeBudget(Date.now() + 60_000);
   * if (budget.fits('webgpu scale', bytes, timing)) budget.learn('webgpu scale', bytes, medianMs);
   */
  constructor(
    readonly deadline: number,
    readonly reserveMs = 2000,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isFinite(deadline)) throw new PixelprepError('E_ARGUMENT', `Expected a deadline in epoch milliseconds but received ${String(deadline)}`);
    if (!Number.isFinite(reserveMs) || reserveMs < 0) throw new PixelprepError('E_ARGUMENT', `Expected a non-negative reserve in milliseconds but received ${String(reserveMs)}`);
  }

  /** Milliseconds left before the deadline, less the reserve. */
  remainingMs(): number {
    return this.deadline - this.reserveMs - this.now();
  }

  /** Records that one run of workload `key` over `bytes` bytes took `runMs` (the largest rate seen is kept). */
  learn(key: string, bytes: number, runMs: number): void {
    if (!(bytes > 0) || !(runMs >= 0)) return;
    this.msPerByte.set(key, Math.max(this.msPerByte.get(key) ?? 0, runMs / bytes));
  }

  /**
   * Estimated milliseconds for measuring `tasks` workloads of `key` side by
   * side over `bytes` bytes with `timing` (warm-up plus at least three timed
   * runs each, then runs until `maxSeconds`), or null before anything was learned.
   * Costs are taken as proportional to bytes: an overestimate for small cases
   * with fixed overheads, which is the safe side.
   */
  estimateMs(key: string, bytes: number, timing: MeasureOptions, tasks = 1): number | null {
    const rate = this.msPerByte.get(key);
    if (rate === undefined) return null;
    const run = rate * bytes;
    const warmup = Math.max(timing.warmup ?? 1, 1);
    const repeats = timing.repeats ?? 7;
    const budget = (timing.maxSeconds ?? 1) * 1000;
    const timed = MIN_REPEATS * run + Math.min(budget, Math.max(0, repeats - MIN_REPEATS) * run);
    // Fast workloads warm up for a quarter of the budget (measure.ts).
    const warming = Math.max(warmup * run, Math.min(budget / 4, 25 * run));
    return tasks * (warming + timed);
  }

  /** Estimated milliseconds for exactly `runs` runs of `key` over `bytes` bytes (no time cap), or null before anything was learned. */
  estimateRunsMs(key: string, bytes: number, runs: number): number | null {
    const rate = this.msPerByte.get(key);
    return rate === undefined ? null : rate * bytes * runs;
  }

  /** Whether an estimate (null: nothing learned yet) fits in the time left. */
  allows(estimateMs: number | null): boolean {
    const left = this.remainingMs();
    return estimateMs === null ? left > 0 : estimateMs <= left;
  }

  /**
   * Whether a measurement fits before the deadline. Without an estimate it fits
   * while any time is left (the grid runs small cases first, so every workload
   * is learned on a small case).
   */
  fits(key: string, bytes: number, timing: MeasureOptions, tasks = 1): boolean {
    return this.allows(this.estimateMs(key, bytes, timing, tasks));
  }
}
