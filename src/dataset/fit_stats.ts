/**
 * fitStats: dataset statistics from a stream of images, in bounded memory.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PixelStats } from '../core/pixel_stats.js';
import { fail, isPlainObject, knownKeys } from '../core/validate.js';
import {
  isDatasetLike,
  openSource,
  optionalCallback,
  optionalSignal,
  raceAbort,
  throwIfAborted,
  type FitProgress,
  type PixelSource,
} from './pixel_source.js';
import { StatsAccumulator, type AccumulatorOptions } from './stats_accumulator.js';
import { EventLoopYielder } from './yield_to_event_loop.js';

export interface FitOptions extends AccumulatorOptions {
  /** Called after each input with the running totals. */
  onProgress?: (progress: FitProgress) => void;
  /** Stops the fit between inputs; the promise rejects with E_ABORTED. */
  signal?: AbortSignal;
  /**
   * Dispose each tensor the source yields once it is counted. Default: true
   * for a tf.data Dataset (its elements belong to the consumer), false for
   * iterables (their tensors may still be the caller's).
   */
  disposeInputs?: boolean;
}

const FIT_KEYS = ['layout', 'spatialDims', 'range', 'per', 'source', 'mixedDepths', 'onProgress', 'signal', 'disposeInputs'] as const;

/**
 * Fits float64 statistics over every image of `source`: per channel count,
 * mean, population std (ddof 0), min, max and M2, plus the same figures over
 * all channels pooled. Each input is read once and reduced to moments, merged
 * with the parallel formula of Chan et al.; memory holds one input at a time.
 *
 *     mean = Σx / n,  std = sqrt(M2 / n),  M2 = Σ(x - mean)²
 *
 * @param source An array, generator, async generator or tf.data Dataset of
 *   tensors or raw batches `{ data, shape }`; every input must have the same channel count.
 * @param options `layout` ('channels_last'), `spatialDims` (2), `range`
 *   (declared value range, checked; none), `per` ('channel'), `source` (extra
 *   provenance to record), `mixedDepths` (false: inputs of another element
 *   type than the first are E_DTYPE), `onProgress`, `signal`, `disposeInputs`. Over a
 *   synchronous source the loop yields to the event loop every 16 ms, so a
 *   `signal` (and any timer) stops it within bounded time.
 * @returns PixelStats with `source` recording how they were fitted.
 * @throws PixelprepError E_SHAPE naming the input whose channel count differs,
 *   E_VALUE on NaN/Infinity or out-of-range values, E_STATS on an empty source,
 *   E_ABORTED when the signal fires, E_ARGUMENT on bad options.
 * @example
 * async function* images() { for (const f of files) yield await decode(f); }
 * const stats = await fitStats(images(), { range: [0, 255] });
 * await saveStats('stats.json', stats);
 */
export async function fitStats(source: PixelSource, options: FitOptions = {}): Promise<PixelStats> {
  if (!isPlainObject(options)) fail('E_ARGUMENT', 'options', 'an options object', options);
  knownKeys('options', options, FIT_KEYS);
  const { onProgress: progressOption, signal: signalOption, disposeInputs, ...accumulatorOptions } = options;
  const onProgress = optionalCallback<(p: FitProgress) => void>(progressOption, 'onProgress');
  const signal = optionalSignal(signalOption);
  if (disposeInputs !== undefined && typeof disposeInputs !== 'boolean') fail('E_ARGUMENT', 'disposeInputs', 'a boolean', disposeInputs);
  const dispose = disposeInputs ?? isDatasetLike(source);
  const accumulator = new StatsAccumulator(accumulatorOptions);

  throwIfAborted(signal, 'fitStats');
  const iterator = await openSource(source);
  // A synchronous source never lets a timer (or the abort it fires) run unless the loop yields.
  const yielder = new EventLoopYielder();
  let finished = false;
  try {
    for (;;) {
      await yielder.maybeYield();
      const next = await raceAbort(iterator.next(), signal, `fitStats after ${accumulator.inputs} inputs`);
      if (next.done) {
        finished = true;
        break;
      }
      const x = next.value;
      try {
        throwIfAborted(signal, `fitStats after ${accumulator.inputs} inputs`);
        accumulator.add(x);
      } finally {
        if (dispose && x instanceof tf.Tensor && !x.isDisposed) x.dispose();
      }
      onProgress?.({ inputs: accumulator.inputs, images: accumulator.images, values: accumulator.values });
    }
  } finally {
    // Lets a generator run its cleanup (close files, release decoders) when the fit stops early;
    // not awaited, since a generator stuck in a pending next() would only finish after it.
    if (!finished) void Promise.resolve().then(() => iterator.return?.()).catch(() => undefined);
  }
  return accumulator.result();
}
