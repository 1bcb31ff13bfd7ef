/**
 * Scaling inside a tf.data pipeline: `dataset.map` with a plan, a scaler or a preset.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '@tensorflow/tfjs-data';
import { PixelprepError } from '../core/errors.js';
import { isRawBatch, type PixelInput } from '../core/input.js';
import { KERNEL_CHOICES, type KernelChoice } from '../kernels/index.js';
import { LAYOUTS, SPATIAL_DIMS, type Layout, type SpatialDims } from '../core/layout.js';
import { AffinePlan } from '../core/plan.js';
import { presetPlan } from '../presets/preset_plan.js';
import { Scaler } from '../core/scaler.js';
import { describe, fail, isPlainObject, knownKeys, oneOf } from '../core/validate.js';

export interface ScaleDatasetOptions {
  /** The field of object elements to scale. Default: the element itself when it is a tensor or raw batch, else 'xs'. */
  key?: string;
  /** 'auto' (default) or 'composite' for plans and presets (a Scaler uses its own kernel option). */
  kernel?: KernelChoice;
  /** Where the channel axis is, for a preset name (a plan or scaler carries its own). Default 'channels_last'. */
  layout?: Layout;
  /** 2 for images, 3 for volumes, for a preset name. Default 2. */
  spatialDims?: SpatialDims;
}

const DATASET_OPTION_KEYS = ['key', 'kernel', 'layout', 'spatialDims'] as const;
const DEFAULT_KEY = 'xs';

/** What scales one element's pixels. */
type Scaling = AffinePlan | Scaler | string;

function compile(scaling: Scaling, options: ScaleDatasetOptions): (x: PixelInput) => tf.Tensor {
  const kernel = oneOf('kernel', options.kernel, KERNEL_CHOICES, 'auto');
  const hasGeometry = options.layout !== undefined || options.spatialDims !== undefined;
  if (typeof scaling === 'string') {
    const layout = oneOf('layout', options.layout, LAYOUTS, 'channels_last');
    const spatialDims = oneOf('spatialDims', options.spatialDims, SPATIAL_DIMS, 2);
    const plan = presetPlan(scaling, { layout, spatialDims });
    return (x) => plan.apply(x, { kernel });
  }
  if (hasGeometry) fail('E_ARGUMENT', 'layout/spatialDims', 'no layout or spatialDims with a plan or a scaler (they carry their own)', options.layout ?? options.spatialDims);
  if (scaling instanceof AffinePlan) return (x) => scaling.apply(x, { kernel });
  if (scaling instanceof Scaler) {
    if (options.kernel !== undefined) fail('E_ARGUMENT', 'kernel', "no kernel with a Scaler (set it in the scaler's options)", options.kernel);
    return (x) => scaling.apply(x);
  }
  return fail('E_ARGUMENT', 'scaling', 'an AffinePlan, a Scaler or a preset name', scaling);
}

const isPixelInput = (value: unknown): value is PixelInput => value instanceof tf.Tensor || isRawBatch(value);

/** Scales one element: the element itself, or its `key` field (other fields pass through untouched). */
function scaleElement(element: unknown, transform: (x: PixelInput) => tf.Tensor, key: string | undefined): tf.TensorContainer {
  if (key === undefined && isPixelInput(element)) return transform(element);
  const field = key ?? DEFAULT_KEY;
  if (!isPlainObject(element) || !(field in element)) {
    const expected = key === undefined ? `a tensor, a raw batch { data, shape } or an object with an '${DEFAULT_KEY}' field (or options.key)` : `an object with a '${key}' field`;
    throw new PixelprepError('E_ARGUMENT', `Expected each dataset element to be ${expected} but received ${describe(element)}`);
  }
  const pixels = element[field];
  if (!isPixelInput(pixels)) {
    throw new PixelprepError('E_ARGUMENT', `Expected the '${field}' field of each dataset element to be a tensor or a raw batch { data, shape } but received ${describe(pixels)}`);
  }
  const rest: tf.TensorContainerObject = {};
  for (const [name, value] of Object.entries(element)) if (name !== field) rest[name] = value as tf.TensorContainer;
  return { ...rest, [field]: transform(pixels) };
}

/**
 * Adds a scaling step to a tf.data pipeline: `dataset.map` that applies a plan,
 * a scaler or a Keras preset to each element (a tensor or a raw batch), or to
 * the `xs` field (or `options.key`) of object elements such as `{ xs, ys }`.
 * Other fields pass through; each output is a float32 tensor. Errors surface
 * when the dataset is iterated, as PixelprepErrors naming the element's shape.
 *
 * tf.data disposes each element's input tensors once the map has run (they are
 * the pipeline's); the scaled tensors belong to the consumer.
 *
 * @param dataset a `tf.data.Dataset` (from @tensorflow/tfjs-data).
 * @param scaling an AffinePlan, a Scaler (its scope applies per element, e.g. 'batch' on batched datasets) or a preset name.
 * @param options key (default: the element, or 'xs'), kernel (default 'auto'), layout and spatialDims (preset names only).
 * @throws PixelprepError E_ARGUMENT for bad options or an unknown preset (at once); E_ARGUMENT/E_SHAPE/E_VALUE per element while iterating.
 * @example
 * const train = scaleDataset(tf.data.array(samples).batch(32), 'EfficientNetB0');
 * const xy = scaleDataset(tf.data.zip({ xs: images, ys: labels }), fittedScaler);
 */
export function scaleDataset<T extends tf.TensorContainer>(dataset: Dataset<T>, scaling: Scaling, options: ScaleDatasetOptions = {}): Dataset<tf.TensorContainer> {
  const raw: unknown = options;
  if (!isPlainObject(raw)) fail('E_ARGUMENT', 'options', 'an options object', raw);
  knownKeys('options', raw, DATASET_OPTION_KEYS);
  if (options.key !== undefined && (typeof options.key !== 'string' || options.key.length === 0)) fail('E_ARGUMENT', 'key', 'a field name', options.key);
  if (typeof dataset !== 'object' || dataset === null || typeof dataset.map !== 'function' || typeof dataset.iterator !== 'function') {
    fail('E_ARGUMENT', 'dataset', 'a tf.data.Dataset', dataset);
  }
  const transform = compile(scaling, options);
  return dataset.map((element) => scaleElement(element, transform, options.key));
}
