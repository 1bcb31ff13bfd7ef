/**
 * preprocessInput / deprocessInput on every backend lane: each Keras mode against
 * the float64 Keras formulas in keras_reference.ts for hand-picked pixels, both
 * layouts, raw uint8 and int32/float32 tensors; exact uint8 round trips; inputs
 * never modified; no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/backends/select.js';
import { PixelprepError } from '../../src/core/errors.js';
import { deprocessInput, preprocessInput, presetPlan } from '../../src/index.js';
import { describeLanes } from '../helpers/lanes.js';
import { kerasBatch, kerasPixel, maxRelativeError, seededBytes, toLayout, type KerasMode, type Layout } from './keras_reference.js';

const MODES: KerasMode[] = ['caffe', 'tf', 'torch', 'none'];
const LAYOUTS: Layout[] = ['channels_last', 'channels_first'];
/** float32 carries ~6e-8 relative error per rounding; a few roundings stay far below this. */
const TOLERANCE = 1e-6;

/** Pure red, pure white, mid-grey, black, and two mixed pixels that tell the channels apart. */
const PIXELS = [
  [255, 0, 0],
  [255, 255, 255],
  [128, 128, 128],
  [0, 0, 0],
  [12, 200, 77],
  [250, 3, 141],
];
const IMAGES = 2;
const PER_IMAGE = 3;
const SHAPES: Record<Layout, number[]> = { channels_last: [IMAGES, 1, PER_IMAGE, 3], channels_first: [IMAGES, 3, 1, PER_IMAGE] };

type InputKind = 'uint8 raw' | 'int32 tensor' | 'float32 tensor';
const INPUT_KINDS: InputKind[] = ['uint8 raw', 'int32 tensor', 'float32 tensor'];

function makeInput(kind: InputKind, values: number[], shape: number[]): tf.Tensor | { data: Uint8Array; shape: number[] } {
  if (kind === 'uint8 raw') return { data: Uint8Array.from(values), shape };
  return tf.tensor(values, shape, kind === 'int32 tensor' ? 'int32' : 'float32');
}

/** The input's values, read asynchronously (tensors may live on a GPU). */
async function snapshot(x: tf.Tensor | { data: Uint8Array }): Promise<number[]> {
  return Array.from(x instanceof tf.Tensor ? await x.data() : x.data);
}

it('hand-computed Keras values for the reference pixels (guards the reference itself)', () => {
  expect(kerasPixel([255, 0, 0], 'caffe')).toEqual([0 - 103.939, 0 - 116.779, 255 - 123.68]);
  expect(kerasPixel([255, 255, 255], 'tf')).toEqual([1, 1, 1]);
  expect(kerasPixel([0, 0, 0], 'tf')).toEqual([-1, -1, -1]);
  expect(kerasPixel([128, 128, 128], 'tf')[0]).toBeCloseTo(0.5 / 127.5, 15);
  expect(kerasPixel([255, 255, 255], 'torch')[0]).toBeCloseTo((1 - 0.485) / 0.229, 15);
  expect(kerasPixel([0, 0, 0], 'torch')[2]).toBeCloseTo(-0.406 / 0.225, 15);
});

await describeLanes((lane) => {

  for (const mode of MODES) {
    for (const layout of LAYOUTS) {
      for (const kind of INPUT_KINDS) {
        it(`${mode} ${layout} from ${kind} matches Keras`, async () => {
          const before = tf.memory().numTensors;
          const shape = SHAPES[layout];
          const values = toLayout(PIXELS.flat(), layout, IMAGES, PER_IMAGE);
          const x = makeInput(kind, values, shape);
          const original = await snapshot(x);
          const y = preprocessInput(x, mode, { layout, kernel: lane.kernel });
          expect(y.dtype).toBe('float32');
          expect(y.shape).toEqual(shape);
          expect(maxRelativeError(await y.data(), kerasBatch(values, layout, IMAGES, PER_IMAGE, mode))).toBeLessThanOrEqual(TOLERANCE);
          expect(await snapshot(x)).toEqual(original);
          y.dispose();
          if (x instanceof tf.Tensor) x.dispose();
          expect(tf.memory().numTensors).toBe(before);
        });
      }
    }
  }

  it('an unbatched image [H,W,3] and a model name give the model mode', async () => {
    const values = PIXELS.flat();
    const y = preprocessInput({ data: Uint8Array.from(values), shape: [2, 3, 3] }, 'ResNet50', { kernel: lane.kernel });
    expect(maxRelativeError(await y.data(), kerasBatch(values, 'channels_last', 1, 6, 'caffe'))).toBeLessThanOrEqual(TOLERANCE);
    y.dispose();
  });

  it("'tf' and 'none' take any channel count (grayscale, RGBA), as Keras' 'tf' mode does", async () => {
    const gray = { data: Uint8Array.from([0, 64, 128, 255]), shape: [2, 2] };
    const g = preprocessInput(gray, 'tf', { kernel: lane.kernel });
    expect(maxRelativeError(await g.data(), [0, 64, 128, 255].map((v) => v / 127.5 - 1))).toBeLessThanOrEqual(TOLERANCE);
    const rgba = { data: seededBytes(2 * 2 * 4, 3), shape: [2, 2, 4] };
    const n = preprocessInput(rgba, 'EfficientNetB0', { kernel: lane.kernel });
    expect(Array.from(await n.data())).toEqual(Array.from(rgba.data));
    tf.dispose([g, n]);
  });

  it('volumes (spatialDims 3) use the same per-channel constants', async () => {
    const bytes = seededBytes(2 * 2 * 2 * 2 * 3, 5);
    const y = preprocessInput({ data: bytes, shape: [2, 2, 2, 2, 3] }, 'densenet121', { spatialDims: 3, kernel: lane.kernel });
    expect(maxRelativeError(await y.data(), kerasBatch(bytes, 'channels_last', 2, 8, 'torch'))).toBeLessThanOrEqual(TOLERANCE);
    y.dispose();
  });

  for (const mode of MODES) {
    for (const layout of LAYOUTS) {
      it(`${mode} ${layout}: deprocessInput(preprocessInput(x)) gives x back exactly after rounding`, async () => {
        const before = tf.memory().numTensors;
        const shape = layout === 'channels_last' ? [3, 7, 5, 3] : [3, 3, 7, 5];
        const bytes = seededBytes(3 * 7 * 5 * 3, 17);
        const x = { data: bytes, shape };
        const y = preprocessInput(x, mode, { layout, kernel: lane.kernel });
        const scaled = Array.from(await y.data());
        const back = deprocessInput(y, mode, { layout, kernel: lane.kernel });
        expect(Array.from(await y.data())).toEqual(scaled);
        const restored = await back.data();
        // float32 error is far below half a grey level: every value is within 1e-3 of an integer.
        const worst = Array.from(restored).reduce((m, v, i) => Math.max(m, Math.abs(v - bytes[i])), 0);
        expect(worst).toBeLessThan(1e-3);
        expect(Uint8Array.from(restored, Math.round)).toEqual(bytes);
        tf.dispose([y, back]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }
});

describe('bad input', () => {
  beforeAll(() => setBackend('cpu'));
  const rgb = { data: new Uint8Array(2 * 2 * 3), shape: [2, 2, 3] };
  const cases: { name: string; run: () => unknown; code: string; message: RegExp }[] = [
    { name: "caffe on 4 channels", run: () => preprocessInput({ data: new Uint8Array(16), shape: [2, 2, 4] }, 'ResNet50'), code: 'E_SHAPE', message: /3 channels \(RGB\) for ResNet50 \(mode 'caffe'\) but received 4/ },
    { name: 'torch on grayscale', run: () => preprocessInput({ data: new Uint8Array(4), shape: [2, 2] }, 'torch'), code: 'E_SHAPE', message: /3 channels \(RGB\) for mode 'torch' but received 1/ },
    { name: 'channels_first mix-up', run: () => preprocessInput({ data: new Uint8Array(2 * 5 * 3), shape: [2, 5, 3] }, 'caffe', { layout: 'channels_first' }), code: 'E_SHAPE', message: /received 2/ },
    { name: 'unknown model', run: () => preprocessInput(rgb, 'resnet5O'), code: 'E_ARGUMENT', message: /close matches: ResNet50/ },
    { name: 'name not a string', run: () => preprocessInput(rgb, 50 as unknown as string), code: 'E_ARGUMENT', message: /received 50 of type number/ },
    { name: 'misspelt option', run: () => preprocessInput(rgb, 'tf', { layot: 'channels_first' } as unknown as { layout: 'channels_first' }), code: 'E_ARGUMENT', message: /'layot'/ },
    { name: 'unknown layout', run: () => preprocessInput(rgb, 'tf', { layout: 'NHWC' as 'channels_last' }), code: 'E_ARGUMENT', message: /'NHWC'/ },
    { name: 'NaN pixel', run: () => preprocessInput({ data: new Float32Array([1, NaN, 3]), shape: [1, 1, 3] }, 'tf'), code: 'E_VALUE', message: /NaN/ },
    { name: 'presetPlan channels 0', run: () => presetPlan('tf', { channels: 0 }), code: 'E_ARGUMENT', message: /positive integer for channels/ },
    { name: 'deprocess of a bool tensor', run: () => tf.tidy(() => deprocessInput(tf.tensor([true], [1, 1], 'bool'), 'tf')), code: 'E_DTYPE', message: /bool/ },
  ];
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
    expect((caught as PixelprepError).message).toMatch(message);
    expect(tf.memory().numTensors).toBe(before);
  });
});
