/**
 * PixelScaling: the layer's output against the Keras formulas on every lane,
 * gradients through it, its config, and a model saved to disk and reloaded
 * giving identical outputs.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backends/select.js';
import { PixelprepError } from '../../src/core/errors.js';
import { fileModelHandler } from '../../src/node/index.js';
import { PixelScaling } from '../../src/layers/index.js';
import { AffinePlan } from '../../src/core/plan.js';
import { preprocessInput, presetPlan } from '../../src/index.js';
import { createScaler } from '../../src/core/scaler.js';
import { describeLanes } from '../helpers/lanes.js';
import { kerasBatch, maxRelativeError, seededBytes, type KerasMode, type Layout } from '../presets/keras_reference.js';

const TOLERANCE = 1e-6;
const MODES: KerasMode[] = ['caffe', 'tf', 'torch', 'none'];
const LAYOUTS: Layout[] = ['channels_last', 'channels_first'];

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'pixelprep-layer-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

await describeLanes((lane) => {

  for (const mode of MODES) {
    for (const layout of LAYOUTS) {
      it(`${mode} ${layout}: the layer matches Keras on int32 and float32 batches`, async () => {
        const before = tf.memory().numTensors;
        const shape = layout === 'channels_last' ? [2, 3, 4, 3] : [2, 3, 3, 4];
        const bytes = seededBytes(2 * 3 * 4 * 3, 23);
        const layer = PixelScaling.fromPreset(mode, { layout, kernel: lane.kernel });
        for (const dtype of ['int32', 'float32'] as const) {
          const x = tf.tensor(bytes, shape, dtype);
          const y = layer.apply(x) as tf.Tensor;
          expect(y.dtype).toBe('float32');
          expect(y.shape).toEqual(shape);
          expect(maxRelativeError(await y.data(), kerasBatch(bytes, layout, 2, 12, mode))).toBeLessThanOrEqual(TOLERANCE);
          expect(Array.from(await x.data())).toEqual(Array.from(bytes));
          tf.dispose([x, y]);
        }
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }

  it('gradients pass through, permuted back to the input channels', async () => {
    const layer = PixelScaling.fromPreset('caffe', { kernel: lane.kernel });
    const weights = tf.tensor1d([1, 2, 3]);
    const x = tf.tensor(seededBytes(2 * 2 * 2 * 3, 4), [2, 2, 2, 3], 'float32');
    const before = tf.memory().numTensors;
    // d/dx of sum(layer(x) * w): output channel c reads input channel 2 - c with scale 1.
    const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, weights)))(x);
    const g = await grad.data();
    for (let i = 0; i < g.length; i += 3) expect([g[i], g[i + 1], g[i + 2]]).toEqual([3, 2, 1]);
    grad.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([weights, x]);
  });

  it('gradients respect the clip: (1/std) * 0.5 inside [-1, 1] after standardizing, 0 outside', async () => {
    const mean = [100, 120, 140];
    const std = [20, 30, 40];
    const scaler = createScaler({ method: 'positive-standardize', stats: { mean, std } });
    const layer = PixelScaling.fromScaler(scaler, { kernel: lane.kernel });
    const bytes = seededBytes(2 * 3 * 3 * 3, 9);
    for (const dtype of ['float32', 'int32'] as const) {
      const x = tf.tensor(bytes, [2, 3, 3, 3], dtype);
      const grad = tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input) as tf.Tensor))(x);
      const g = await grad.data();
      const expected = Array.from(bytes, (v, i) => {
        const c = i % 3;
        const z = (v - mean[c]) / std[c];
        return z >= -1 && z <= 1 ? 0.5 / std[c] : 0;
      });
      expect(maxRelativeError(g, expected)).toBeLessThanOrEqual(TOLERANCE);
      expect(expected.some((v) => v === 0) && expected.some((v) => v !== 0)).toBe(true);
      tf.dispose([x, grad]);
    }
  });

  it('a grayscale batch [N,H,W] takes a channel-shared plan', async () => {
    const layer = PixelScaling.fromPreset('tf', { kernel: lane.kernel });
    const x = tf.tensor([0, 255, 51, 204], [2, 1, 2], 'int32');
    const y = layer.apply(x) as tf.Tensor;
    expect(maxRelativeError(await y.data(), [0, 255, 51, 204].map((v) => v / 127.5 - 1))).toBeLessThanOrEqual(TOLERANCE);
    tf.dispose([x, y]);
  });
});

describe('PixelScaling in a model', () => {
  beforeAll(() => setBackend('cpu'));
  it('getConfig carries the plan JSON and fromConfig rebuilds the same plan', () => {
    const layer = PixelScaling.fromPreset('ResNet50', { name: 'prep' });
    const config = layer.getConfig();
    expect(config.name).toBe('prep');
    expect(config.plan).toEqual(presetPlan('caffe').toJSON());
    const copy = new PixelScaling({ ...config, plan: config.plan as tf.serialization.ConfigDict });
    expect(copy.plan.toJSON()).toEqual(layer.plan.toJSON());
  });

  it('the constructors agree: preset, plan, and a scaler with fixed statistics', () => {
    const scaler = createScaler({ method: 'standardize', stats: { mean: [0.485 * 255, 0.456 * 255, 0.406 * 255], std: [0.229 * 255, 0.224 * 255, 0.225 * 255] } });
    const x = tf.tensor(seededBytes(2 * 2 * 2 * 3, 8), [2, 2, 2, 3], 'int32');
    const outputs = [PixelScaling.fromPreset('torch'), PixelScaling.fromPlan(presetPlan('densenet121')), PixelScaling.fromScaler(scaler)].map((l) => l.apply(x) as tf.Tensor);
    const reference = preprocessInput(x, 'torch');
    for (const y of outputs) expect(maxRelativeError(y.dataSync(), reference.dataSync())).toBeLessThanOrEqual(TOLERANCE);
    tf.dispose([x, reference, ...outputs]);
  });

  const cases: { name: string; layer: () => PixelScaling; shape: number[] }[] = [
    { name: 'caffe preset, channels_last', layer: () => PixelScaling.fromPreset('VGG16', { inputShape: [4, 5, 3] }), shape: [3, 4, 5, 3] },
    { name: 'torch preset, channels_first', layer: () => PixelScaling.fromPreset('DenseNet121', { inputShape: [3, 4, 5], layout: 'channels_first' }), shape: [3, 3, 4, 5] },
    {
      name: 'positive-standardize scaler (clip and post step)',
      layer: () => PixelScaling.fromScaler(createScaler({ method: 'positive-standardize', stats: { mean: [120, 110, 100], std: [30, 40, 50] } }), { inputShape: [4, 5, 3] }),
      shape: [3, 4, 5, 3],
    },
  ];

  it.each(cases)('$name: saved to disk and reloaded, the model gives identical outputs', async ({ layer, shape }) => {
    const prep = layer();
    const model = tfl.sequential({
      layers: [prep, tfl.layers.flatten(), tfl.layers.dense({ units: 4, kernelInitializer: tfl.initializers.randomNormal({ seed: 1 }) })],
    });
    const x = tf.tensor(seededBytes(shape.reduce((a, b) => a * b), 31), shape, 'int32');
    const expected = model.predict(x) as tf.Tensor;
    const directory = join(scratch, prep.name);
    await model.save(fileModelHandler(directory));

    const saved = JSON.parse(await readFile(join(directory, 'model.json'), 'utf8'));
    expect(JSON.stringify(saved.modelTopology)).toContain('PixelScaling');

    const before = tf.memory().numTensors;
    const reloaded = await tfl.loadLayersModel(fileModelHandler(directory));
    const first = reloaded.layers[0];
    expect(first).toBeInstanceOf(PixelScaling);
    expect((first as PixelScaling).plan.toJSON()).toEqual(prep.plan.toJSON());
    const got = reloaded.predict(x) as tf.Tensor;
    expect(Array.from(got.dataSync())).toEqual(Array.from(expected.dataSync()));
    got.dispose();
    reloaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, expected]);
    model.dispose();
  });

  it('trains: fit runs through the layer and the loss goes down', async () => {
    const model = tfl.sequential({
      layers: [PixelScaling.fromPreset('tf', { inputShape: [2, 2, 3] }), tfl.layers.flatten(), tfl.layers.dense({ units: 1, kernelInitializer: 'zeros' })],
    });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = tf.tensor(seededBytes(8 * 12, 2), [8, 2, 2, 3], 'int32');
    const ys = tf.ones([8, 1]);
    const history = await model.fit(xs, ys, { epochs: 5, batchSize: 8, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});

describe('bad input', () => {
  beforeAll(() => setBackend('cpu'));
  const attempt = (run: () => unknown): PixelprepError => {
    try {
      run();
    } catch (error) {
      if (error instanceof PixelprepError) return error;
      throw error;
    }
    throw new Error('expected a PixelprepError');
  };

  it('rejects per-image plans, data-dependent scalers, malformed plans and wrong shapes', () => {
    const perImage = createScaler({ method: 'standardize', scope: 'image' }).plan({ data: seededBytes(24, 1), shape: [2, 2, 2, 3] });
    expect(attempt(() => PixelScaling.fromPlan(perImage)).message).toMatch(/one coefficient set for every image.*2 per-image sets/);
    expect(attempt(() => PixelScaling.fromScaler(createScaler({ method: 'standardize', scope: 'batch' }))).message).toMatch(/fixed statistics.*scope 'batch'/);
    expect(attempt(() => new PixelScaling({ plan: { format: 'something-else' } })).code).toBe('E_FORMAT');
    expect(attempt(() => new PixelScaling({ plan: 'caffe' as unknown as AffinePlan })).message).toMatch(/AffinePlan or its JSON.*'caffe'/);
    expect(attempt(() => PixelScaling.fromPreset('resnet5O')).message).toMatch(/close matches: ResNet50/);

    const before = tf.memory().numTensors;
    const caffe = PixelScaling.fromPreset('caffe');
    const four = tf.zeros([1, 2, 2, 4]);
    const flat = tf.zeros([6]);
    expect(attempt(() => caffe.apply(four)).code).toBe('E_SHAPE');
    expect(attempt(() => caffe.apply(flat)).message).toMatch(/rank 3 or 4.*\[6\] of rank 1/);
    tf.dispose([four, flat]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the file handler reports missing files and foreign JSON', async () => {
    await expect(tfl.loadLayersModel(fileModelHandler(join(scratch, 'missing')))).rejects.toMatchObject({ code: 'E_IO' });
    const { writeFile, mkdir } = await import('node:fs/promises');
    const bad = join(scratch, 'bad');
    await mkdir(bad, { recursive: true });
    await writeFile(join(bad, 'model.json'), '{"hello": 1}');
    await expect(tfl.loadLayersModel(fileModelHandler(bad))).rejects.toMatchObject({ code: 'E_FORMAT' });
    await writeFile(join(bad, 'model.json'), '{"modelTopology": {}, "weightsManifest": [{"paths": ["../../etc/passwd"], "weights": []}]}');
    await expect(tfl.loadLayersModel(fileModelHandler(bad))).rejects.toMatchObject({ code: 'E_FORMAT' });
    expect(() => fileModelHandler('')).toThrow(PixelprepError);
  });
});
