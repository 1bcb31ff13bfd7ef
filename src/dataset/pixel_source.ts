/**
 * Where a fit reads its pixels from: any iterable or async iterable of inputs
 * (an array, a generator, a stream of decoded images) or a tf.data Dataset,
 * consumed one element at a time so memory stays bounded.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../core/errors.js';
import type { PixelInput } from '../core/input.js';
import { describe, fail } from '../core/validate.js';

/** The part of a tf.data Dataset a fit needs: `iterator()` resolving to an object with `next()`. */
export interface DatasetLike<T> {
  iterator(): Promise<{ next(): Promise<IteratorResult<T>> }>;
}

/** Pixels to fit on: an iterable, an async iterable, or a tf.data Dataset of tensors or raw batches. */
export type PixelSource = Iterable<PixelInput> | AsyncIterable<PixelInput> | DatasetLike<PixelInput>;

/** Progress of a fit, reported after each input. */
export interface FitProgress {
  /** Inputs (elements of the source) consumed. */
  inputs: number;
  /** Images counted (a batch counts its images). */
  images: number;
  /** Values counted, all channels together. */
  values: number;
}

const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === 'function';

/** True when `source` is a tf.data Dataset (or anything with the same `iterator()`), not a plain iterable. */
export function isDatasetLike(source: unknown): source is DatasetLike<PixelInput> {
  return (
    typeof source === 'object' &&
    source !== null &&
    isFunction((source as { iterator?: unknown }).iterator) &&
    !(Symbol.iterator in source) &&
    !(Symbol.asyncIterator in source)
  );
}

/** A uniform async iterator over any PixelSource. @throws PixelprepError E_ARGUMENT when `source` is none of them. */
export async function openSource(source: unknown, name = 'source'): Promise<AsyncIterator<PixelInput>> {
  if (typeof source === 'object' && source !== null) {
    if (Symbol.asyncIterator in source) return (source as AsyncIterable<PixelInput>)[Symbol.asyncIterator]();
    if (Symbol.iterator in source) {
      const iterator = (source as Iterable<PixelInput>)[Symbol.iterator]();
      return {
        next: async () => iterator.next(),
        return: async (value?: unknown) => iterator.return?.(value) ?? { done: true, value: undefined },
      };
    }
    if (isDatasetLike(source)) return datasetIterator(source);
  }
  if (source instanceof tf.Tensor || (typeof source === 'object' && source !== null && 'data' in source && 'shape' in source)) {
    throw new PixelprepError('E_ARGUMENT', `Expected ${name} to be an iterable of inputs (e.g. [x]) but received a single input; wrap it in an array`);
  }
  return fail('E_ARGUMENT', name, 'an iterable, an async iterable or a tf.data Dataset of tensors or raw batches', source);
}

async function datasetIterator(dataset: DatasetLike<PixelInput>): Promise<AsyncIterator<PixelInput>> {
  const lazy = await dataset.iterator();
  if (typeof lazy !== 'object' || lazy === null || !isFunction(lazy.next)) {
    throw new PixelprepError('E_ARGUMENT', `Expected dataset.iterator() to resolve to an iterator with next() but received ${describe(lazy)}`);
  }
  return { next: () => lazy.next() };
}

/** Throws E_ABORTED when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) {
    throw new PixelprepError('E_ABORTED', `${what} was aborted${abortReason(signal)}`, { cause: signal.reason });
  }
}

/** Waits for `promise`, or rejects with E_ABORTED as soon as the signal fires. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return promise;
  throwIfAborted(signal, what);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new PixelprepError('E_ABORTED', `${what} was aborted${abortReason(signal)}`, { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Checks an optional AbortSignal option. */
export function optionalSignal(value: unknown, name = 'signal'): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) fail('E_ARGUMENT', name, 'an AbortSignal', value);
  return value;
}

/** Checks an optional callback option. */
export function optionalCallback<F extends (...args: never[]) => unknown>(value: unknown, name: string): F | undefined {
  if (value === undefined) return undefined;
  if (!isFunction(value)) fail('E_ARGUMENT', name, 'a function', value);
  return value as F;
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return `: ${reason.message}`;
  if (typeof reason === 'string') return `: ${reason}`;
  return '';
}
