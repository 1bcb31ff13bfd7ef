/**
 * fitFiles: dataset statistics over image files, sharded, resumable, with
 * decoding overlapped with counting.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError, isPixelprepError } from '../core/errors.js';
import type { PixelInput } from '../core/input.js';
import type { PixelStats } from '../core/pixel_stats.js';
import { fail, isInteger, isPlainObject, knownKeys } from '../core/validate.js';
import { PathDigest, readCheckpoint, resumeFrom, writeCheckpoint, type CheckpointSettings } from './checkpoint.js';
import type { FitOptions } from '../dataset/fit_stats.js';
import { optionalCallback, optionalSignal, raceAbort, throwIfAborted, type FitProgress } from '../dataset/pixel_source.js';
import { checkShard, parseShard, shardPaths, sortedUniquePaths, type Shard } from './shard.js';
import { StatsAccumulator, type AccumulatorOptions } from '../dataset/stats_accumulator.js';
import { EventLoopYielder } from '../dataset/yield_to_event_loop.js';

/** Progress of a file fit, reported after each file. */
export interface FileFitProgress extends FitProgress {
  /** Files of this fit's list counted so far (including those resumed from a checkpoint). */
  files: number;
  /** Files in this fit's list (this shard's part when sharded). */
  totalFiles: number;
  /** The file just counted. */
  path: string;
}

export interface FitFilesOptions extends Omit<FitOptions, 'onProgress' | 'disposeInputs'> {
  /**
   * Decodes one file to pixels (e.g. the sharp decoder of pixelprep's image I/O).
   * A tensor it returns is disposed once counted.
   */
  decode: (path: string) => Promise<PixelInput>;
  /** Fit only this shard of the sorted list: `{ index, count }` or "index/count". Default: every file. */
  shard?: Shard | string;
  /** Checkpoint file: resumed from when it exists, rewritten atomically as files are counted. Default: none. */
  checkpoint?: string;
  /** Files between checkpoint writes. Default 100. */
  checkpointEvery?: number;
  /** Files decoded ahead of the one being counted. Default 4. */
  concurrency?: number;
  /** Called after each file. */
  onProgress?: (progress: FileFitProgress) => void;
  /**
   * Called with a file that cannot be counted (it fails to decode, or its
   * channel count differs); the file is then left out and the fit goes on.
   * Without it (the default) such a file stops the fit.
   */
  onFileError?: (path: string, error: PixelprepError) => void;
}

const KEYS = ['layout', 'spatialDims', 'range', 'per', 'source', 'mixedDepths', 'signal', 'decode', 'shard', 'checkpoint', 'checkpointEvery', 'concurrency', 'onProgress', 'onFileError'] as const;
const DEFAULT_CHECKPOINT_EVERY = 100;
const DEFAULT_CONCURRENCY = 4;

/**
 * Fits float64 statistics over image files, like `fitStats` over their decoded pixels.
 *
 * Files are sorted (by code units) and, with `shard`, reduced to the shard's
 * part (`shardPaths`), then counted strictly in that order whatever the
 * `concurrency`, so a fit gives the same bits every time. With `checkpoint`,
 * the partial statistics and the files counted are written atomically every
 * `checkpointEvery` files, when the fit stops (abort or error) and at the
 * end; a later call with the same paths and settings resumes from it and never
 * counts a file twice. A finished checkpoint returns its statistics at once.
 *
 * @param paths Image files; each listed once.
 * @param options `decode` (required), `shard`, `checkpoint`, `checkpointEvery` (100),
 *   `concurrency` (4), and the options of fitStats: `layout`, `spatialDims`, `range`, `per`, `source`, `onProgress`, `signal`.
 * @returns PixelStats whose `source` also records `files` and, when sharded, `shard: { count, indices: [index] }`.
 * @example
 * const stats = await fitFiles(paths, { decode, shard: '2/8', checkpoint: 'fit-2.ckpt.json' });
 * await saveStats('stats-2.json', stats);
 * @throws PixelprepError E_IO (with the path) when a file cannot be decoded, E_SHAPE when a
 *   file's channel count differs, E_ABORTED when the signal fires (the checkpoint is left
 *   resumable), E_ARGUMENT on bad options, an empty shard, or a checkpoint from other settings or files.
 */
export async function fitFiles(paths: readonly string[], options: FitFilesOptions): Promise<PixelStats> {
  if (!isPlainObject(options)) fail('E_ARGUMENT', 'options', 'an options object with decode', options);
  knownKeys('options', options, KEYS);
  const { decode, shard: shardOption, checkpoint: checkpointPath, checkpointEvery, concurrency, onProgress: progressOption, onFileError: fileErrorOption, signal: signalOption, ...rest } = options;
  if (typeof decode !== 'function') fail('E_ARGUMENT', 'decode', 'a function (path) => Promise<raw batch or tensor>', decode);
  const shard = shardOption === undefined ? null : typeof shardOption === 'string' ? parseShard(shardOption) : checkShard(shardOption);
  if (checkpointPath !== undefined && (typeof checkpointPath !== 'string' || checkpointPath.length === 0)) fail('E_ARGUMENT', 'checkpoint', 'a file path', checkpointPath);
  const every = positiveInteger('checkpointEvery', checkpointEvery, DEFAULT_CHECKPOINT_EVERY);
  const ahead = positiveInteger('concurrency', concurrency, DEFAULT_CONCURRENCY);
  const onProgress = optionalCallback<(p: FileFitProgress) => void>(progressOption, 'onProgress');
  const onFileError = optionalCallback<(path: string, error: PixelprepError) => void>(fileErrorOption, 'onFileError');
  const signal = optionalSignal(signalOption);

  const list = shard ? shardPaths(paths, shard) : sortedUniquePaths(paths);
  if (list.length === 0) {
    const where = shard ? `shard ${shard.index}/${shard.count} of ${Array.isArray(paths) ? paths.length : 0} files` : 'paths';
    throw new PixelprepError('E_ARGUMENT', `Expected at least one file in ${where} but received none`);
  }
  const accumulatorOptions: AccumulatorOptions = rest;
  let accumulator = new StatsAccumulator(accumulatorOptions);
  const settings: CheckpointSettings = {
    layout: accumulator.layout,
    spatialDims: accumulator.spatialDims,
    range: accumulator.range ? [accumulator.range[0], accumulator.range[1]] : null,
    per: accumulator.per,
    shard,
    list: shard ? listDigest(paths) : null,
    source: accumulator.source(),
  };

  let digest = new PathDigest();
  let done = 0;
  if (checkpointPath !== undefined) {
    const stored = await readCheckpoint(checkpointPath);
    if (stored) ({ accumulator, digest, done } = resumeFrom(stored, checkpointPath, list, settings, accumulatorOptions));
  }
  const save = async (): Promise<void> => {
    if (checkpointPath === undefined) return;
    await writeCheckpoint(checkpointPath, {
      format: 'pixelprep-fit-checkpoint',
      version: 1,
      settings,
      files: { total: list.length, done, digest: digest.digest(), last: done > 0 ? list[done - 1] : null },
      state: accumulator.state(),
      updatedAt: new Date().toISOString(),
    });
  };

  const decodeOne = async (path: string): Promise<PixelInput> => {
    try {
      return await decode(path);
    } catch (error) {
      if (isPixelprepError(error)) {
        // Name the file unless the decoder's message already does.
        throw error.message.includes(path) ? error : new PixelprepError(error.code, `${path}: ${error.message}`, { cause: error });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new PixelprepError('E_IO', `Expected to decode ${path} but the decoder failed: ${reason}`, { cause: error });
    }
  };
  // Decodes run ahead of the counting, which stays in list order.
  const queue: Promise<PixelInput>[] = [];
  let nextToStart = done;
  const startNext = () => {
    const pending = decodeOne(list[nextToStart++]);
    pending.catch(() => undefined);
    queue.push(pending);
  };

  let sinceSave = 0;
  // A decoder that resolves at once never lets a timer or an abort run unless the loop yields.
  const yielder = new EventLoopYielder();
  try {
    while (queue.length < ahead && nextToStart < list.length) startNext();
    while (done < list.length) {
      await yielder.maybeYield();
      const what = () => `fitFiles after ${done} of ${list.length} files${checkpointPath === undefined ? '' : ` (the checkpoint ${checkpointPath} resumes it)`}`;
      const pending = queue[0];
      const path = list[done];
      let x: PixelInput | null = null;
      try {
        x = await raceAbort(pending, signal, what());
      } catch (error) {
        if (!onFileError || isPixelprepError(error, 'E_ABORTED')) throw error;
        onFileError(path, error as PixelprepError);
      }
      queue.shift();
      if (nextToStart < list.length) startNext();
      try {
        throwIfAborted(signal, what());
        if (x !== null) accumulator.add(x, path);
      } catch (error) {
        if (!onFileError || !isPixelprepError(error, 'E_SHAPE')) throw error;
        onFileError(path, error.message.includes(path) ? error : new PixelprepError(error.code, `${path}: ${error.message}`, { cause: error }));
      } finally {
        if (x instanceof tf.Tensor && !x.isDisposed) x.dispose();
      }
      digest.add(path);
      done++;
      onProgress?.({ inputs: accumulator.inputs, images: accumulator.images, values: accumulator.values, files: done, totalFiles: list.length, path });
      if (++sinceSave >= every && done < list.length) {
        sinceSave = 0;
        await save();
      }
    }
  } catch (error) {
    // Decodes still in flight are not counted; free what they produce.
    for (const pending of queue) pending.then((x) => x instanceof tf.Tensor && x.dispose(), () => undefined);
    try {
      await save();
    } catch (saveError) {
      const reason = saveError instanceof Error ? saveError.message : String(saveError);
      if (isPixelprepError(error)) throw new PixelprepError(error.code, `${error.message} (and the checkpoint could not be saved: ${reason})`, { cause: error });
    }
    throw error;
  }
  await save();
  const stats = accumulator.result();
  stats.source = { ...stats.source, files: list.length, ...(shard && settings.list ? { shard: { count: shard.count, indices: [shard.index] }, list: settings.list } : {}) };
  return stats;
}

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!isInteger(value) || value < 1) fail('E_ARGUMENT', name, 'a positive integer', value);
  return value;
}

/** Count and SHA-256 of the whole sorted list a shard is cut from: shards of different lists must not be merged or resumed. */
function listDigest(paths: readonly string[]): { files: number; sha256: string } {
  const all = sortedUniquePaths(paths);
  const digest = new PathDigest();
  for (const path of all) digest.add(path);
  return { files: all.length, sha256: digest.digest() };
}
