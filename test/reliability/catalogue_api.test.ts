/**
 * Catalogue of bad input to the library's functions: each gets a PixelprepError
 * with a stable code and a message naming what was expected and what arrived,
 * and leaves no tensor behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AffinePlan, Scaler, StatsAccumulator, Whitening, computeImageStats, computeStats, createScaler, deprocessInput, fitStats, fitWhitening, mergeStats, preprocessInput, presetPlan, scale, scaleInto, setBackend, validateStats, type PixelStats } from '../../src/index.js';
import { mergeShards, rawToTensor, saveImage } from '../../src/node/index.js';
import { describeLanes } from '../helpers/lanes.js';
import { caught, expectBadInput, type BadInput } from './bad_input.js';

const rgb = { data: new Uint8Array(2 * 2 * 3).fill(7), shape: [2, 2, 3] };
/** Statistics fitted on a 3-channel image, with every field a PixelStats has. */
const fitted: PixelStats = computeStats({ data: Uint8Array.from({ length: 4 * 4 * 3 }, (_, i) => (i * 37) % 256), shape: [4, 4, 3] });
const withFields = (change: Partial<PixelStats>): PixelStats => ({ ...fitted, ...change });
/** A colour PCA fitted on random pixels of 3 channels. */
const pca = await fitWhitening([{ data: Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 97 + (i % 3) * 41) % 256), shape: [8, 8, 3] }], { kind: 'pca' });

const cases: BadInput[] = [
  // Values that cannot be scaled.
  { name: 'NaN pixel', run: () => scale({ data: new Float32Array([1, NaN, 3, 4]), shape: [2, 2] }, { method: 'normalize' }), code: 'E_VALUE', message: /finite pixel values.*NaN at flat index 1/ },
  { name: '+Infinity pixel in stats', run: () => computeStats({ data: new Float64Array([1, 2, Infinity, 4]), shape: [2, 2] }), code: 'E_VALUE', message: /Infinity at flat index 2/ },
  { name: '-Infinity pixel, composite kernel', run: () => scale({ data: new Float32Array([1, 2, 3, -Infinity]), shape: [2, 2] }, { method: 'normalize', kernel: 'composite' }), code: 'E_VALUE', message: /-Infinity at flat index 3/ },
  { name: 'NaN in a float32 tensor', run: () => tf.tidy(() => scale(tf.tensor([[1, NaN], [3, 4]]), { method: 'normalize', kernel: 'composite' })), code: 'E_VALUE', message: /NaN/ },
  { name: 'NaN in per-image statistics', run: () => computeImageStats({ data: new Float64Array([0, 1, 2, NaN]), shape: [2, 1, 2] }), code: 'E_VALUE', message: /NaN at flat index 3/ },
  { name: 'NaN in a stream being fitted', run: () => fitStats([rgb, { data: new Float32Array(12).fill(NaN), shape: [2, 2, 3] }]), code: 'E_VALUE', message: /finite pixel values in input 1 but received NaN/ },
  { name: 'value outside the declared fit range', run: () => fitStats([{ data: new Float32Array([0, 0.5, 300, 1]), shape: [2, 2] }], { range: [0, 255] }), code: 'E_VALUE', message: /\[0, 255\].*received 300/ },
  { name: 'NaN into a whitening', run: () => pca.apply({ data: new Float32Array(12).fill(NaN), shape: [2, 2, 3] }), code: 'E_VALUE', message: /NaN/ },

  // Shapes.
  { name: 'rank too low', run: () => scale({ data: new Uint8Array(4), shape: [4] }, { method: 'normalize' }), code: 'E_SHAPE', message: /rank 2 to 4.*received \[4\] of rank 1/ },
  { name: 'rank too high', run: () => scale({ data: new Uint8Array(32), shape: [2, 2, 2, 2, 2] }, { method: 'normalize' }), code: 'E_SHAPE', message: /of rank 5/ },
  { name: 'rank 2 for volumes (spatialDims 3)', run: () => scale({ data: new Uint8Array(4), shape: [2, 2] }, { method: 'normalize', spatialDims: 3 }), code: 'E_SHAPE', message: /rank 3 to 5 \(\[D,H,W\].*received \[2,2\] of rank 2/ },
  { name: 'zero-size dimension', run: () => scale({ data: new Uint8Array(0), shape: [0, 2, 3] }, { method: 'normalize' }), code: 'E_SHAPE', message: /positive integer/ },
  { name: 'zero-size spatial dimension in a batch', run: () => computeStats({ data: new Uint8Array(0), shape: [4, 0, 5, 3] }), code: 'E_SHAPE', message: /positive integer but received shape \[4,0,5,3\]/ },
  { name: 'negative dimension', run: () => scale({ data: new Uint8Array(4), shape: [2, -2] }, { method: 'normalize' }), code: 'E_SHAPE', message: /positive integer but received shape \[2,-2\]/ },
  { name: 'fractional dimension', run: () => scale({ data: new Uint8Array(4), shape: [2, 2.5] }, { method: 'normalize' }), code: 'E_SHAPE', message: /\[2,2.5\]/ },
  { name: 'shape that is not a list', run: () => scale({ data: new Uint8Array(4), shape: '2x2' as unknown as number[] }, { method: 'normalize' }), code: 'E_SHAPE', message: /shape to be an array of dimensions but received '2x2'/ },
  { name: 'empty tensor', run: () => tf.tidy(() => scale(tf.zeros([0, 2, 3]), { method: 'normalize' })), code: 'E_SHAPE', message: /non-empty tensor/ },
  { name: 'empty tensor with a zero-size spatial axis', run: () => tf.tidy(() => void computeStats(tf.zeros([2, 0, 3]))), code: 'E_SHAPE', message: /non-empty tensor.*\[2,0,3\]/ },
  { name: 'data length mismatch', run: () => scale({ data: new Uint8Array(11), shape: [2, 2, 3] }, { method: 'normalize' }), code: 'E_SHAPE', message: /hold 12 values.*received 11/ },
  { name: 'stats channel count ≠ data channels', run: () => scale({ data: new Uint8Array(16), shape: [2, 2, 4] }, { method: 'standardize', stats: { mean: [1, 2, 3], std: [1, 2, 3] } }), code: 'E_SHAPE', message: /3 channels.*\[2,2,4\] with 4/ },
  { name: 'fitted stats of 3 channels on grey data', run: () => createScaler({ method: 'standardize', stats: fitted }).apply({ data: new Uint8Array(16), shape: [1, 4, 4, 1] }), code: 'E_SHAPE', message: /3 channels.*\[1,4,4,1\] with 1/ },
  { name: 'channels_first data given as channels_last (detected by channel count)', run: () => scale({ data: new Uint8Array(2 * 3 * 4 * 5), shape: [2, 3, 4, 5] }, { method: 'standardize', stats: { mean: [1, 2, 3], std: [1, 2, 3] } }), code: 'E_SHAPE', message: /3 channels \(channels_last\).*\[2,3,4,5\] with 5/ },
  { name: 'channels_last data given as channels_first (detected by channel count)', run: () => scale({ data: new Uint8Array(3 * 4 * 5), shape: [4, 5, 3] }, { method: 'standardize', layout: 'channels_first', stats: { mean: [1, 2, 3], std: [1, 2, 3] } }), code: 'E_SHAPE', message: /3 channels \(channels_first\).*with 4/ },
  { name: 'channels_first data into a channels_last colour PCA', run: () => pca.apply({ data: new Uint8Array(3 * 4 * 5), shape: [3, 4, 5] }), code: 'E_SHAPE', message: /3 channels \(channels_last\).*\[3,4,5\] with 5/ },
  { name: 'stats fitted channels_first used channels_last', run: () => createScaler({ method: 'standardize', stats: { ...fitted, source: { layout: 'channels_first' } } }), code: 'E_STATS', message: /fitted with layout 'channels_last' but these were fitted with 'channels_first'/ },
  { name: 'per-image plan on another batch size', run: () => createScaler({ method: 'standardize', scope: 'image' }).plan({ data: new Uint8Array(24), shape: [2, 2, 2, 3] }).apply({ data: new Uint8Array(36), shape: [3, 2, 2, 3] }), code: 'E_SHAPE', message: /batch of 2 images.*received 3/ },
  { name: "'caffe' preset on a grey image", run: () => preprocessInput({ data: new Uint8Array(4), shape: [2, 2, 1] }, 'caffe'), code: 'E_SHAPE', message: /3 channels \(RGB\) for mode 'caffe' but received 1/ },
  { name: 'stream whose channel count changes', run: () => fitStats([rgb, { data: new Uint8Array(4), shape: [2, 2, 1] }]), code: 'E_SHAPE', message: /input 1 to have 3 channels.*with 1/ },

  // Element types.
  { name: 'bool tensor', run: () => tf.tidy(() => scale(tf.tensor([true, false, true, false], [2, 2], 'bool'), { method: 'normalize' })), code: 'E_DTYPE', message: /int32 or float32.*bool/ },
  { name: 'complex64 tensor', run: () => tf.tidy(() => scale(tf.complex([[1, 2], [3, 4]], [[0, 0], [0, 0]]), { method: 'normalize' })), code: 'E_DTYPE', message: /complex64/ },
  { name: 'string tensor', run: () => tf.tidy(() => scale(tf.tensor(['a', 'b', 'c', 'd'], [2, 2]), { method: 'normalize' })), code: 'E_DTYPE', message: /string/ },
  { name: 'string tensor into statistics', run: () => tf.tidy(() => void computeStats(tf.tensor(['a', 'b', 'c', 'd'], [2, 2]))), code: 'E_DTYPE', message: /received dtype string/ },
  { name: 'Int8Array data', run: () => scale({ data: new Int8Array(4) as unknown as Uint8Array, shape: [2, 2] }, { method: 'normalize' }), code: 'E_DTYPE', message: /received an Int8Array of length 4/ },
  { name: 'BigInt64Array data', run: () => computeStats({ data: new BigInt64Array(4) as unknown as Uint8Array, shape: [2, 2] }), code: 'E_DTYPE', message: /BigInt64Array/ },
  { name: 'plain array instead of typed array', run: () => scale({ data: [1, 2, 3, 4] as unknown as Uint8Array, shape: [2, 2] }, { method: 'normalize' }), code: 'E_DTYPE', message: /Uint8Array.*received an array of length 4/ },
  { name: 'a raw batch of Int16Array made a tensor', run: () => rawToTensor({ data: new Int16Array(4) as unknown as Uint8Array, shape: [2, 2] }), code: 'E_DTYPE', message: /batch.data.*Int16Array/ },

  // Arguments and options.
  { name: 'not an input at all', run: () => scale('image.png' as unknown as Parameters<typeof scale>[0], { method: 'normalize' }), code: 'E_ARGUMENT', message: /tf.Tensor or a raw batch.*'image.png'/ },
  { name: 'disposed tensor', run: () => { const t = tf.zeros([2, 2]); t.dispose(); return scale(t, { method: 'normalize' }); }, code: 'E_ARGUMENT', message: /disposed/ },
  { name: 'unknown method', run: () => scale(rgb, { method: 'whiten' as 'normalize' }), code: 'E_ARGUMENT', message: /one of 'normalize'.*'whiten'/ },
  { name: 'missing method', run: () => createScaler({} as Parameters<typeof createScaler>[0]), code: 'E_ARGUMENT', message: /for method but received undefined/ },
  { name: 'misspelt option', run: () => createScaler({ method: 'normalize', scop: 'batch' } as Parameters<typeof createScaler>[0]), code: 'E_ARGUMENT', message: /'scop'/ },
  { name: 'unknown layout', run: () => scale(rgb, { method: 'normalize', layout: 'nhwc' as 'channels_last' }), code: 'E_ARGUMENT', message: /channels_last.*'nhwc'/ },
  { name: 'unknown per', run: () => computeStats(rgb, { per: 'pixel' as 'channel' }), code: 'E_ARGUMENT', message: /'channel', 'global'.*'pixel'/ },
  { name: 'negative range (low > high)', run: () => createScaler({ method: 'normalize', range: [255, 0] }), code: 'E_ARGUMENT', message: /low < high.*\[255, 0\]/ },
  { name: 'zero-width range', run: () => createScaler({ method: 'normalize', range: [0, 0] }), code: 'E_ARGUMENT', message: /low < high/ },
  { name: 'zero-width target', run: () => createScaler({ method: 'min-max', target: [1, 1] }), code: 'E_ARGUMENT', message: /for target but received an array of length 2 \[1, 1\]/ },
  { name: 'range with NaN', run: () => createScaler({ method: 'normalize', range: [0, NaN] }), code: 'E_ARGUMENT', message: /finite numbers.*NaN/ },
  { name: 'negative epsilon', run: () => createScaler({ method: 'standardize', epsilon: -1 }), code: 'E_ARGUMENT', message: /positive finite number for epsilon/ },
  { name: 'rescale without scale', run: () => createScaler({ method: 'rescale' }), code: 'E_ARGUMENT', message: /for scale but received undefined/ },
  { name: 'rescale with zero scale', run: () => createScaler({ method: 'rescale', scale: 0 }), code: 'E_ARGUMENT', message: /non-zero/ },
  { name: 'invert a batch-scope scaler without its plan', run: () => createScaler({ method: 'standardize', scope: 'batch' }).invert(rgb), code: 'E_ARGUMENT', message: /plan used to scale/ },
  { name: 'scaleInto with a short buffer', run: () => scaleInto(rgb, new Float32Array(5), { method: 'normalize' }), code: 'E_ARGUMENT', message: /Float32Array of length 12.*length 5/ },
  { name: 'scaleInto with a Float64Array', run: () => scaleInto(rgb, new Float64Array(12) as unknown as Float32Array, { method: 'normalize' }), code: 'E_ARGUMENT', message: /Float32Array of length 12 but received a Float64Array of length 12/ },
  { name: 'plan with a non-permutation channelOrder', run: () => new AffinePlan({ images: 1, channels: 3, scale: [1, 1, 1], offset: [0, 0, 0], clip: null, post: null, channelOrder: [0, 0, 1] }), code: 'E_ARGUMENT', message: /permutation/ },
  { name: 'plan with a NaN scale', run: () => new AffinePlan({ images: 1, channels: 1, scale: [NaN], offset: [0], clip: null, post: null }), code: 'E_ARGUMENT', message: /finite non-zero/ },
  { name: 'unknown preset with a close match', run: () => preprocessInput(rgb, 'resnet5O'), code: 'E_ARGUMENT', message: /ResNet50/ },
  { name: 'deprocess with an unknown preset', run: () => deprocessInput(rgb, 'no-such-model'), code: 'E_ARGUMENT', message: /no-such-model/ },
  { name: 'a whitening without kind', run: () => fitWhitening([rgb], {} as Parameters<typeof fitWhitening>[1]), code: 'E_ARGUMENT', message: /'pca', 'zca' for kind but received undefined/ },
  { name: 'a single input where a fit wants a stream', run: () => fitStats(rgb as unknown as Parameters<typeof fitStats>[0]), code: 'E_ARGUMENT', message: /iterable of inputs.*single input/ },
  { name: 'PNG path with another extension', run: () => saveImage('out.jpg', rgb), code: 'E_ARGUMENT', message: /ending in .png.*'out.jpg'/ },

  // Statistics.
  { name: 'scope dataset without stats', run: () => createScaler({ method: 'standardize', scope: 'dataset' }), code: 'E_STATS', message: /statistics.*received undefined/ },
  { name: 'stats with scope batch', run: () => createScaler({ method: 'standardize', scope: 'batch', stats: { mean: 1, std: 1 } }), code: 'E_ARGUMENT', message: /scope 'dataset'/ },
  { name: 'stats missing std', run: () => createScaler({ method: 'standardize', stats: { mean: [1, 2, 3] } }), code: 'E_STATS', message: /stats.std/ },
  { name: 'a preset on 16-bit pixels', run: () => preprocessInput({ data: new Uint16Array([65535, 0, 1000]), shape: [1, 1, 1, 3] }, 'tf'), code: 'E_DTYPE', message: /8-bit pixels.*preset 'tf' but received uint16/ },
  { name: 'stats given to a method that uses none', run: () => createScaler({ method: 'normalize', stats: { mean: 1, std: 1 } }), code: 'E_ARGUMENT', message: /method 'normalize' does not/ },
  { name: 'float64 values whose squares overflow', run: () => computeStats({ data: new Float64Array([-1e200, 1e200, 0, 0]), shape: [2, 2] }), code: 'E_VALUE', message: /squares fit in float64.*1e\+200/ },
  { name: 'reference stats with min above max', run: () => createScaler({ method: 'min-max', stats: { min: [10, 0, 0], max: [5, 255, 255] } }), code: 'E_STATS', message: /min\[0\] ≤ stats.max\[0\] but received min 10 and max 5/ },
  { name: 'a mean beyond float32 range', run: () => scale(rgb, { method: 'center', stats: { mean: 1e39 } }), code: 'E_VALUE', message: /float32 range.*1e\+39/ },
  { name: 'an epsilon so small the scale overflows float32', run: () => scale(rgb, { method: 'standardize', scope: 'batch', epsilon: 1e-300 }), code: 'E_VALUE', message: /float32 range/ },
  { name: 'stats with negative std', run: () => createScaler({ method: 'standardize', stats: { mean: [1, 2, 3], std: [1, -2, 3] } }), code: 'E_STATS', message: /non-negative/ },
  { name: 'stats with NaN mean', run: () => createScaler({ method: 'center', stats: { mean: [1, NaN, 3] } }), code: 'E_STATS', message: /stats.mean.*NaN/ },
  { name: 'stats of mismatched lengths', run: () => createScaler({ method: 'standardize', stats: { mean: [1, 2, 3], std: [1, 2] } }), code: 'E_STATS', message: /1 or 3 values.*received 2/ },
  { name: 'per-channel stats with per global', run: () => createScaler({ method: 'standardize', per: 'global', stats: { mean: [1, 2, 3], std: [1, 2, 3] } }), code: 'E_STATS', message: /per 'global'/ },
  { name: 'std 0 with zeroVariance error', run: () => createScaler({ method: 'standardize', stats: { mean: 5, std: 0 }, zeroVariance: 'error' }).apply(rgb), code: 'E_VALUE', message: /standard deviation of at least epsilon 1e-7 but received 0/ },
  { name: 'zero variance with zeroVariance error', run: () => scale(rgb, { method: 'min-max', zeroVariance: 'error' }), code: 'E_VALUE', message: /range \(max - min\) of at least epsilon/ },
  { name: 'PixelStats with a std list too short', run: () => createScaler({ method: 'standardize', stats: withFields({ std: fitted.std.slice(0, 2) }) }), code: 'E_STATS', message: /std to be a list of 3 numbers.*length 2/ },
  { name: 'PixelStats with a negative std', run: () => validateStats(withFields({ std: [1, -1, 1] })), code: 'E_STATS', message: /non-negative std\[1\].*-1/ },
  { name: 'PixelStats with m2 of Infinity', run: () => validateStats(withFields({ m2: [1, Infinity, 1] })), code: 'E_STATS', message: /finite number at m2\[1\].*Infinity/ },
  { name: 'PixelStats with mean outside [min, max]', run: () => validateStats(withFields({ mean: [fitted.max[0] + 1, fitted.mean[1], fitted.mean[2]] })), code: 'E_STATS', message: /min\[0\] ≤ mean\[0\] ≤ max\[0\]/ },
  { name: 'PixelStats with zero count', run: () => validateStats(withFields({ count: 0 })), code: 'E_STATS', message: /positive count.*0 of type number/ },
  { name: 'merge of 3-channel and 1-channel stats', run: () => mergeStats(fitted, computeStats({ data: new Uint8Array(4), shape: [2, 2] })), code: 'E_STATS', message: /3 channels for part 1 but received 1/ },
  { name: 'merge of nothing', run: () => mergeStats(), code: 'E_ARGUMENT', message: /at least one PixelStats/ },
  { name: 'merge of one shard twice', run: () => mergeShards(withFields({ source: { shard: { count: 2, indices: [0] } } }), withFields({ source: { shard: { count: 2, indices: [0] } } })), code: 'E_STATS', message: /shard 0\/2 .* twice/ },
  { name: 'merge of parts fitted at other sizes', run: () => mergeShards(withFields({ source: { resize: { width: 224 } } }), withFields({ source: { resize: { width: 256 } } })), code: 'E_STATS', message: /same resize.*224.*256/ },
  { name: 'statistics of nothing', run: () => new StatsAccumulator().result(), code: 'E_STATS', message: /at least one image.*none/ },
  { name: 'an empty stream fitted', run: () => fitStats([]), code: 'E_STATS', message: /at least one image.*none/ },
  { name: 'a whitening of one pixel', run: () => fitWhitening([{ data: new Uint8Array(3), shape: [1, 1, 3] }], { kind: 'pca' }), code: 'E_STATS', message: /at least 2 pixels.*received 1/ },

  // Serialized forms.
  { name: 'plan JSON of a future version', run: () => AffinePlan.fromJSON({ ...createScaler({ method: 'normalize' }).plan().toJSON(), version: 2 }), code: 'E_FORMAT', message: /pixelprep-plan version 1 but received 2/ },
  { name: 'scaler JSON of another format', run: () => Scaler.fromJSON({ format: 'pixelprep-stats', version: 1 }), code: 'E_FORMAT', message: /pixelprep-scaler.*'pixelprep-stats'/ },
  { name: 'scaler JSON of a future version', run: () => Scaler.fromJSON({ ...createScaler({ method: 'normalize' }).toJSON(), version: 3 }), code: 'E_FORMAT', message: /version 1 but received 3/ },
  { name: 'whitening JSON of a future version', run: () => Whitening.fromJSON({ ...pca.toJSON(), version: 2 }), code: 'E_FORMAT', message: /pixelprep-whitening version 1.*received 2/ },
  { name: 'whitening JSON with a negative eigenvalue', run: () => Whitening.fromJSON({ ...pca.toJSON(), eigenvalues: [-1, 1, 1] }), code: 'E_STATS', message: /eigenvalues/ },
];

describe('bad input to the API', () => {
  // Listing the lanes registers wasm, which tfjs would otherwise pick first.
  beforeAll(() => setBackend('cpu'));

  it(`catalogues ${cases.length} bad inputs`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)('$name → $code', async ({ run, code, message }) => {
    const before = tf.memory().numTensors;
    expectBadInput(await caught(run), code, message);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an unknown backend name is rejected, a missing one says which package is absent', async () => {
    expectBadInput(await caught(() => setBackend('gpu' as 'cpu')), 'E_ARGUMENT', /'tensorflow', 'webgpu', 'wasm', 'cpu' for backend but received 'gpu'/);
    expectBadInput(await caught(() => setBackend('tensorflow')), 'E_BACKEND', /@tensorflow\/tfjs-node-gpu is not installed; @tensorflow\/tfjs-node is not installed/);
  });
});

describe('inputs that look odd but must work', () => {
  beforeAll(() => setBackend('cpu'));

  it('constant data with the default zeroVariance clamp scales to zeros, never NaN (Keras: max(std, 1e-7))', () => {
    for (const method of ['standardize', 'positive-standardize', 'min-max'] as const) {
      const y = scale(rgb, { method, scope: 'image' });
      const values = Array.from(y.dataSync());
      y.dispose();
      // (7 - 7) / 1e-7 = 0; positive-standardize maps 0 to 0.5.
      expect(values).toEqual(new Array(12).fill(method === 'positive-standardize' ? 0.5 : 0));
    }
  });

  it('fitted stats with std 0 on one channel standardize the other channels and keep the constant one finite', () => {
    const data = Uint8Array.from({ length: 4 * 3 }, (_, i) => (i % 3 === 1 ? 9 : i * 5));
    const stats = computeStats({ data, shape: [2, 2, 3] });
    expect(stats.std[1]).toBe(0);
    const y = createScaler({ method: 'standardize', stats }).apply({ data, shape: [2, 2, 3] });
    const values = y.dataSync();
    y.dispose();
    data.forEach((v, i) => {
      const c = i % 3;
      const expected = (v - stats.mean[c]) / Math.max(stats.std[c], 1e-7);
      expect(Math.abs(values[i] - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
    });
  });

  it('Uint16Array pixels normalize with the 16-bit range [0, 65535] by default', () => {
    const data = Uint16Array.from([0, 1, 257, 32768, 65534, 65535]);
    const y = scale({ data, shape: [2, 3] }, { method: 'normalize' });
    const values = Array.from(y.dataSync());
    y.dispose();
    values.forEach((v, i) => expect(Math.abs(v - data[i] / 65535)).toBeLessThanOrEqual(2 ** -24));
  });

  it('a 4-channel (CMYK-like) raw batch scales per channel like any other channel count', () => {
    const data = Uint8Array.from({ length: 3 * 3 * 4 }, (_, i) => (i * 29) % 256);
    const y = scale({ data, shape: [3, 3, 4] }, { method: 'min-max', scope: 'image' });
    const values = y.dataSync();
    y.dispose();
    for (let c = 0; c < 4; c++) {
      const channel = Array.from(data).filter((_, i) => i % 4 === c);
      const [lo, hi] = [Math.min(...channel), Math.max(...channel)];
      data.forEach((v, i) => i % 4 === c && expect(Math.abs(values[i] - (v - lo) / (hi - lo))).toBeLessThanOrEqual(1e-6));
    }
  });

  it('a preset plan for a grey image (tf mode) fits any channel count', () => {
    const plan = presetPlan('tf', { channels: 1 });
    const y = plan.apply({ data: Uint8Array.from([0, 255, 127, 128]), shape: [2, 2, 1] });
    const values = Array.from(y.dataSync());
    y.dispose();
    expect(values.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([-1, 1, Math.round((127 / 127.5 - 1) * 1e6) / 1e6, Math.round((128 / 127.5 - 1) * 1e6) / 1e6]);
  });
});

await describeLanes((lane) => {
  it('NaN and ±Infinity in a float32 tensor are E_VALUE, at the call or when the result is read; nothing leaks', async () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const x = tf.tensor([[1, 2], [bad, 4]], [2, 2], 'float32');
      const before = tf.memory().numTensors;
      const error = await caught(async () => {
        const y = scale(x, { method: 'normalize', kernel: lane.kernel });
        try {
          await y.data();
        } finally {
          y.dispose();
        }
      });
      expectBadInput(error, 'E_VALUE', new RegExp(`finite pixel values.*${String(bad).replace('+', '\\+')}`));
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    }
  });
}, 'bad values on lane');
