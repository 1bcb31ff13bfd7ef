/**
 * scaleDataset: tf.data pipelines scaled with a preset, a plan or a scaler,
 * checked against the Keras formulas and float64 statistics written here.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backends/select.js';
import { PixelprepError } from '../../src/core/errors.js';
import { scaleDataset } from '../../src/layers/index.js';
import { presetPlan } from '../../src/index.js';
import { createScaler } from '../../src/core/scaler.js';
import { kerasBatch, maxRelativeError, seededBytes } from '../presets/keras_reference.js';

const TOLERANCE = 1e-6;
const SHAPE = [2, 2, 3];

const images = (count: number, seed: number) => Array.from({ length: count }, (_, i) => seededBytes(12, seed + i));

describe('scaleDataset', () => {
  beforeAll(() => setBackend('cpu'));
  it('scales tensor elements with a preset', async () => {
    const sources = images(3, 1);
    const tensors = sources.map((b) => tf.tensor(b, SHAPE, 'int32'));
    const before = tf.memory().numTensors;
    const out = await scaleDataset(tfd.array(tensors), 'InceptionV3').toArray();
    expect(out).toHaveLength(3);
    out.forEach((y, i) => {
      expect(y).toBeInstanceOf(tf.Tensor);
      const t = y as tf.Tensor;
      expect(t.dtype).toBe('float32');
      expect(maxRelativeError(t.dataSync(), kerasBatch(sources[i], 'channels_last', 1, 4, 'tf'))).toBeLessThanOrEqual(TOLERANCE);
    });
    tf.dispose(out as tf.Tensor[]);
    expect(tf.memory().numTensors).toBe(before);
    tensors.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(sources[i])));
    tf.dispose(tensors);
  });

  it('scales the xs of { xs, ys } elements and passes ys through', async () => {
    const sources = images(4, 10);
    const elements = sources.map((b, i) => ({ xs: tf.tensor(b, SHAPE, 'int32'), ys: tf.scalar(i) }));
    const out = (await scaleDataset(tfd.array(elements), 'caffe').toArray()) as { xs: tf.Tensor; ys: tf.Tensor }[];
    out.forEach(({ xs, ys }, i) => {
      expect(maxRelativeError(xs.dataSync(), kerasBatch(sources[i], 'channels_last', 1, 4, 'caffe'))).toBeLessThanOrEqual(TOLERANCE);
      expect(ys.dataSync()[0]).toBe(i);
    });
    tf.dispose(out.flatMap(({ xs, ys }) => [xs, ys]));
    tf.dispose(elements.flatMap(({ xs, ys }) => [xs, ys]));
  });

  it('scales raw uint8 batches and a custom key, with a plan', async () => {
    const sources = images(2, 20);
    const raw = await scaleDataset(tfd.array(sources.map((data) => ({ data, shape: SHAPE }))), presetPlan('torch')).toArray();
    raw.forEach((y, i) => expect(maxRelativeError((y as tf.Tensor).dataSync(), kerasBatch(sources[i], 'channels_last', 1, 4, 'torch'))).toBeLessThanOrEqual(TOLERANCE));
    tf.dispose(raw as tf.Tensor[]);

    const keyed = sources.map((b) => ({ image: tf.tensor(b, SHAPE, 'int32'), label: tf.scalar(7) }));
    const out = (await scaleDataset(tfd.array(keyed), presetPlan('tf'), { key: 'image' }).toArray()) as { image: tf.Tensor; label: tf.Tensor }[];
    out.forEach(({ image, label }, i) => {
      expect(maxRelativeError(image.dataSync(), kerasBatch(sources[i], 'channels_last', 1, 4, 'tf'))).toBeLessThanOrEqual(TOLERANCE);
      expect(label.dataSync()[0]).toBe(7);
    });
    tf.dispose(out.flatMap(({ image, label }) => [image, label]));
    tf.dispose(keyed.flatMap(({ image, label }) => [image, label]));
  });

  it('applies a batch-scope scaler to each batch of a batched dataset', async () => {
    const sources = images(4, 30);
    const batched = tfd.array(sources.map((b) => tf.tensor(b, SHAPE, 'int32'))).batch(2);
    const out = (await scaleDataset(batched, createScaler({ method: 'standardize', scope: 'batch', per: 'global' })).toArray()) as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([[2, ...SHAPE], [2, ...SHAPE]]);
    out.forEach((t, b) => {
      const values = [...sources[2 * b], ...sources[2 * b + 1]];
      const mean = values.reduce((a, v) => a + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
      expect(maxRelativeError(t.dataSync(), values.map((v) => (v - mean) / std))).toBeLessThanOrEqual(TOLERANCE);
    });
    tf.dispose(out);
  });

  it('reports bad elements while iterating and bad options at once', async () => {
    const numbers = tfd.array([1, 2, 3]);
    await expect(scaleDataset(numbers, 'tf').toArray()).rejects.toThrow(/tensor, a raw batch \{ data, shape \} or an object with an 'xs' field.*received 1 of type number/);
    const wrongKey = tfd.array([{ image: tf.zeros(SHAPE) }]);
    await expect(scaleDataset(wrongKey, 'tf', { key: 'pixels' }).toArray()).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    const notPixels = tfd.array([{ xs: 'image.png' }]);
    await expect(scaleDataset(notPixels, 'tf').toArray()).rejects.toThrow(/'xs' field.*'image.png'/);
    const fourChannels = tfd.array([tf.zeros([2, 2, 4])]);
    await expect(scaleDataset(fourChannels, 'caffe').toArray()).rejects.toMatchObject({ code: 'E_SHAPE' });

    const attempt = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(attempt(() => scaleDataset(numbers, 'resnet5O'))).toBeInstanceOf(PixelprepError);
    expect((attempt(() => scaleDataset(numbers, 'tf', { keys: 'xs' } as never)) as PixelprepError).message).toMatch(/'keys'/);
    expect((attempt(() => scaleDataset(numbers, presetPlan('tf'), { layout: 'channels_first' })) as PixelprepError).message).toMatch(/carry their own/);
    expect((attempt(() => scaleDataset(numbers, createScaler({ method: 'normalize' }), { kernel: 'composite' })) as PixelprepError).message).toMatch(/scaler's options/);
    expect((attempt(() => scaleDataset(numbers, 42 as never)) as PixelprepError).code).toBe('E_ARGUMENT');
    expect((attempt(() => scaleDataset([1, 2] as never, 'tf')) as PixelprepError).message).toMatch(/tf.data.Dataset/);
  });
});
