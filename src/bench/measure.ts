/**
 * Timing with warm-up and repeats: the median is the number reported, the
 * interquartile range the spread (robust to the odd slow run on a shared machine).
 */

/** Summary of one measurement, in milliseconds. */
export interface Timing {
  /** Median of the samples. */
  median: number;
  min: number;
  max: number;
  /** Interquartile range (75th minus 25th percentile). */
  iqr: number;
  /** Number of timed runs. */
  samples: number;
}

export interface MeasureOptions {
  /**
   * Fewest untimed runs first (JIT warm-up, caches, allocator). Default 1.
   * Fast functions get more, up to MAX_WARMUP_RUNS, while warming has taken
   * less than a quarter of the time budget: a JIT needs many calls to optimise.
   */
  warmup?: number;
  /** Most timed runs. Default 7. */
  repeats?: number;
  /** Fewest timed runs, whatever the time budget. Default 3. */
  minRepeats?: number;
  /** Stop adding runs once this much time was spent timing (after minRepeats). Default 1. */
  maxSeconds?: number;
}

/** Most untimed runs spent warming up a fast function. */
export const MAX_WARMUP_RUNS = 25;

/** Linear-interpolated quantile of sorted values (q in [0, 1]). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * Median, extremes and interquartile range of timing samples (ms).
 * @example summarize([3, 1, 2]).median // 2
 */
export function summarize(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    iqr: quantile(sorted, 0.75) - quantile(sorted, 0.25),
    samples: sorted.length,
  };
}

/**
 * Runs `fn` untimed (at least `warmup` times), then timed until `repeats` runs
 * or the time budget is spent (never fewer than `minRepeats`). `fn` may return a promise,
 * which is awaited inside the timed region.
 */
export async function measure(fn: () => unknown, options: MeasureOptions = {}): Promise<Timing> {
  const warmup = options.warmup ?? 1;
  const repeats = options.repeats ?? 7;
  const minRepeats = Math.min(options.minRepeats ?? 3, repeats);
  const budget = (options.maxSeconds ?? 1) * 1000;
  let warmSpent = 0;
  for (let i = 0; i < warmup || (i < MAX_WARMUP_RUNS && warmSpent < budget / 4); i++) {
    const start = performance.now();
    await fn();
    warmSpent += performance.now() - start;
  }
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < repeats && (samples.length < minRepeats || spent < budget)) {
    const start = performance.now();
    await fn();
    const elapsed = performance.now() - start;
    samples.push(elapsed);
    spent += elapsed;
  }
  return summarize(samples);
}

/**
 * Times several functions side by side: after each one's warm-up, every round
 * runs each function once, so a noisy neighbour on a shared machine slows all
 * of them alike. Rounds continue until each has `repeats` samples or the
 * budget (`maxSeconds` per function) is spent, never fewer than `minRepeats`.
 */
export async function measureRoundRobin<K extends string>(tasks: Readonly<Partial<Record<K, () => unknown>>>, options: MeasureOptions = {}): Promise<Record<K, Timing>> {
  const entries = Object.entries(tasks).filter((e): e is [K, () => unknown] => typeof e[1] === 'function');
  const names = entries.map(([name]) => name);
  const run = new Map(entries);
  const warmup = options.warmup ?? 1;
  const repeats = options.repeats ?? 7;
  const minRepeats = Math.min(options.minRepeats ?? 3, repeats);
  const budget = (options.maxSeconds ?? 1) * 1000;
  for (const name of names) {
    let warmSpent = 0;
    for (let i = 0; i < warmup || (i < MAX_WARMUP_RUNS && warmSpent < budget / 4); i++) {
      const start = performance.now();
      await run.get(name)?.();
      warmSpent += performance.now() - start;
    }
  }
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  let spent = 0;
  for (let round = 0; round < repeats && (round < minRepeats || spent < budget * names.length); round++) {
    for (const name of names) {
      const start = performance.now();
      await run.get(name)?.();
      const elapsed = performance.now() - start;
      samples[name].push(elapsed);
      spent += elapsed;
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n])])) as Record<K, Timing>;
}
