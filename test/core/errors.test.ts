/** Bad input gets a PixelprepError with a code and a message naming what was expected and what arrived. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AffinePlan, PixelprepError, computeStats, createScaler, scale, scaleInto, setBackend, type ErrorCode } from '../../src/index.js';

const rgb = { data: new Uint8Array(2 * 2 * 3).fill(7), shape: [2, 2, 3] };

interface BadCase {
  name: string;
  run: () => unknown;
  code: ErrorCode;
  message: RegExp;
}

const cases: BadCase[] = [
  { name: 'NaN pixel', run: () => scale({ data: new Float32Array([1, NaN, 3, 4]), shape: [2, 2] }, { method: 'normalize' }), code: 'E_VALUE', message: /finite pixel values.*NaN at flat index 1/ },
  { name: '+Infinity pixel in stats', run: () => computeStats({ data: new Float64Array([1, 2, Infinity, 4]), shape: [2, 2] }), code: 'E_VALUE', message: /Infinity at flat index 2/ },
  { name: 'NaN in a float32 tensor', run: () => tf.tidy(() => scale(tf.tensor([[1, NaN], [3, 4]]), { method: 'normalize', kernel: 'composite' })), code: 'E_VALUE', message: /NaN/ },
  { name: 'rank too low', run: () => scale({ data: new Uint8Array(4), shape: [4] }, { method: 'normalize' }), code: 'E_SHAPE', message: /rank 2 to 4.*received \[4\] of rank 1/ },
  { name: 'rank too high', run: () => scale({ data: new Uint8Array(32), shape: [2, 2, 2, 2, 2] }, { method: 'normalize' }), code: 'E_SHAPE', message: /of rank 5/ },
  { name: 'zero-size dimension', run: () => scale({ data: new Uint8Array(0), shape: [0, 2, 3] }, { method: 'normalize' }), code: 'E_SHAPE', message: /positive integer/ },
  { name: 'empty tensor', run: () => tf.tidy(() => scale(tf.zeros([0, 2, 3]), { method: 'normalize' })), code: 'E_SHAPE', message: /non-empty tensor/ },
  { name: 'data length mismatch', run: () => scale({ data: new Uint8Array(11), shape: [2, 2, 3] }, { method: 'normalize' }), code: 'E_SHAPE', message: /hold 12 values.*received 11/ },
  { name: 'bool tensor', run: () => tf.tidy(() => scale(tf.tensor([true, false, true, false], [2, 2], 'bool'), { method: 'normalize' })), code: 'E_DTYPE', message: /int32 or float32.*bool/ },
  { name: 'complex64 tensor', run: () => tf.tidy(() => scale(tf.complex([[1, 2], [3, 4]], [[0, 0], [0, 0]]), { method: 'normalize' })), code: 'E_DTYPE', message: /complex64/ },
  { name: 'string tensor', run: () => tf.tidy(() => scale(tf.tensor(['a', 'b', 'c', 'd'], [2, 2]), { method: 'normalize' })), code: 'E_DTYPE', message: /string/ },
  { name: 'plain array instead of typed array', run: () => scale({ data: [1, 2, 3, 4] as unknown as Uint8Array, shape: [2, 2] }, { method: 'normalize' }), code: 'E_DTYPE', message: /Uint8Array.*received an array of length 4/ },
  { name: 'not an input at all', run: () => scale('image.png' as unknown as Parameters<typeof scale>[0], { method: 'normalize' }), code: 'E_ARGUMENT', message: /tf.Tensor or a raw batch.*'image.png'/ },
  { name: 'unknown method', run: () => scale(rgb, { method: 'whiten' as 'normalize' }), code: 'E_ARGUMENT', message: /one of 'normalize'.*'whiten'/ },
  { name: 'missing method', run: () => createScaler({} as Parameters<typeof createScaler>[0]), code: 'E_ARGUMENT', message: /for method but received undefined/ },
  { name: 'misspelt option', run: () => createScaler({ method: 'normalize', scop: 'batch' } as Parameters<typeof createScaler>[0]), code: 'E_ARGUMENT', message: /'scop'/ },
  { name: 'unknown layout', run: () => scale(rgb, { method: 'normalize', layout: 'nhwc' as 'channels_last' }), code: 'E_ARGUMENT', message: /channels_last.*'nhwc'/ },
  { name: 'range low ≥ high', run: () => createScaler({ method: 'normalize', range: [255, 0] }), code: 'E_ARGUMENT', message: /low < high.*\[255, 0\]/ },
  { name: 'zero-width range', run: () => createScaler({ method: 'normalize', range: [0, 0] }), code: 'E_ARGUMENT', message: /low < high/ },
  { name: 'negative epsilon', run: () => createScaler({ method: 'standardize', epsilon: -1 }), code: 'E_ARGUMENT', message: /positive finite number for epsilon/ },
  { name: 'rescale without scale', run: () => createScaler({ method: 'rescale' }), code: 'E_ARGUMENT', message: /for scale but received undefined/ },
  { name: 'rescale with zero scale', run: () => createScaler({ method: 'rescale', scale: 0 }), code: 'E_ARGUMENT', message: /non-zero/ },
  { name: 'scope dataset without stats', run: () => createScaler({ method: 'standardize', scope: 'dataset' }), code: 'E_STATS', message: /statistics.*received undefined/ },
  { name: 'stats with scope batch', run: () => createScaler({ method: 'standardize', scope: 'batch', stats: { mean: 1, std: 1 } }), code: 'E_ARGUMENT', message: /scope 'dataset'/ },
  { name: 'stats missing std', run: () => createScaler({ method: 'standardize', stats: { mean: [1, 2, 3] } }), code: 'E_STATS', message: /stats.std/ },
  { name: 'stats with negative std', run: () => createScaler({ method: 'standardize', stats: { mean: [1, 2, 3], std: [1, -2, 3] } }), code: 'E_STATS', message: /non-negative/ },
  { name: 'stats of mismatched lengths', run: () => createScaler({ method: 'standardize', stats: { mean: [1, 2, 3], std: [1, 2] } }), code: 'E_STATS', message: /1 or 3 values.*received 2/ },
  { name: 'per-channel stats with per global', run: () => createScaler({ method: 'standardize', per: 'global', stats: { mean: [1, 2, 3], std: [1, 2, 3] } }), code: 'E_STATS', message: /per 'global'/ },
  { name: 'stats channel count ≠ data channels', run: () => scale({ data: new Uint8Array(16), shape: [2, 2, 4] }, { method: 'standardize', stats: { mean: [1, 2, 3], std: [1, 2, 3] } }), code: 'E_SHAPE', message: /3 channels.*\[2,2,4\] with 4/ },
  { name: 'stats fitted channels_first used channels_last', run: () => createScaler({ method: 'standardize', stats: { ...computeStats(rgb), source: { layout: 'channels_first' } } }), code: 'E_STATS', message: /fitted with layout 'channels_last' but these were fitted with 'channels_first'/ },
  { name: 'channels_first mix-up detected by channel count', run: () => scale({ data: new Uint8Array(3 * 4 * 5), shape: [4, 5, 3] }, { method: 'standardize', layout: 'channels_first', stats: { mean: [1, 2, 3], std: [1, 2, 3] } }), code: 'E_SHAPE', message: /3 channels.*with 4/ },
  { name: 'per-image plan on another batch size', run: () => createScaler({ method: 'standardize', scope: 'image' }).plan({ data: new Uint8Array(24), shape: [2, 2, 2, 3] }).apply({ data: new Uint8Array(36), shape: [3, 2, 2, 3] }), code: 'E_SHAPE', message: /batch of 2 images.*received 3/ },
  { name: 'zero variance with zeroVariance error', run: () => scale(rgb, { method: 'min-max', zeroVariance: 'error' }), code: 'E_VALUE', message: /range \(max - min\) of at least epsilon/ },
  { name: 'invert a batch-scope scaler without its plan', run: () => createScaler({ method: 'standardize', scope: 'batch' }).invert(rgb), code: 'E_ARGUMENT', message: /plan used to scale/ },
  { name: 'scaleInto with a short buffer', run: () => scaleInto(rgb, new Float32Array(5), { method: 'normalize' }), code: 'E_ARGUMENT', message: /Float32Array of length 12.*length 5/ },
  { name: 'plan with a non-permutation channelOrder', run: () => new AffinePlan({ images: 1, channels: 3, scale: [1, 1, 1], offset: [0, 0, 0], clip: null, post: null, channelOrder: [0, 0, 1] }), code: 'E_ARGUMENT', message: /permutation/ },
  { name: 'plan with a NaN scale', run: () => new AffinePlan({ images: 1, channels: 1, scale: [NaN], offset: [0], clip: null, post: null }), code: 'E_ARGUMENT', message: /finite non-zero/ },
  { name: 'disposed tensor', run: () => { const t = tf.zeros([2, 2]); t.dispose(); return scale(t, { method: 'normalize' }); }, code: 'E_ARGUMENT', message: /disposed/ },
];

describe('bad input', () => {
  it.each(cases)('$name → $code', ({ run, code, message }) => {
    const before = tf.memory().numTensors;
    let caught: unknown;
    try {
      run();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PixelprepError);
    expect((caught as PixelprepError).code).toBe(code);
    expect((caught as PixelprepError).message).toMatch(/^Expected /);
    expect((caught as PixelprepError).message).toMatch(message);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an unknown backend name is rejected, a missing one says which package is absent', async () => {
    await expect(setBackend('gpu' as 'cpu')).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(setBackend('tensorflow')).rejects.toThrow(/@tensorflow\/tfjs-node-gpu is not installed; @tensorflow\/tfjs-node is not installed/);
  });
});
