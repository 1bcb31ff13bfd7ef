/**
 * Keras-style `preprocess_input` and its inverse, for any PixelInput.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../core/errors.js';
import { inspectInput, type PixelInput } from '../core/input.js';
import { KERNEL_CHOICES, type KernelChoice } from '../kernels/index.js';
import { LAYOUTS, SPATIAL_DIMS, type Layout, type SpatialDims } from '../core/layout.js';
import type { AffinePlan } from '../core/plan.js';
import { fail, isPlainObject, knownKeys, oneOf } from '../core/validate.js';
import { presetPlan } from './preset_plan.js';

export interface PreprocessOptions {
  /** Where the channel axis is ('channels_first' is Keras' data_format="channels_first"). Default 'channels_last'. */
  layout?: Layout;
  /** 2 for images, 3 for volumes. Default 2. */
  spatialDims?: SpatialDims;
  /** 'auto' (default): the backend's fused kernel; 'composite' forces the tfjs op chain. */
  kernel?: KernelChoice;
}

const PREPROCESS_OPTION_KEYS = ['layout', 'spatialDims', 'kernel'] as const;

/** Checks the options and the input, and returns the preset's plan fitted to the input's channels. */
function planFor(x: PixelInput, nameOrMode: string, options: PreprocessOptions, name: string): { plan: AffinePlan; kernel: KernelChoice } {
  const raw: unknown = options;
  if (!isPlainObject(raw)) fail('E_ARGUMENT', 'options', 'an options object', raw);
  knownKeys('options', raw, PREPROCESS_OPTION_KEYS);
  const layout = oneOf('layout', options.layout, LAYOUTS, 'channels_last');
  const spatialDims = oneOf('spatialDims', options.spatialDims, SPATIAL_DIMS, 2);
  const kernel = oneOf('kernel', options.kernel, KERNEL_CHOICES, 'auto');
  const { geometry, dtype } = inspectInput(x, { layout, spatialDims }, name);
  // Keras presets are defined on 0..255 pixels: 16-bit data would be silently wrong.
  if (dtype === 'uint16') {
    throw new PixelprepError('E_DTYPE', `Expected 8-bit pixels (0..255) for preset '${nameOrMode}' but received uint16 data for ${name}; decode with depth 'uint8' or normalize 16-bit data with a method`);
  }
  return { plan: presetPlan(nameOrMode, { layout, spatialDims, channels: geometry.channels }), kernel };
}

/**
 * Scales pixels (0..255, RGB) the way a pretrained Keras model expects, like
 * `keras.applications.<model>.preprocess_input`, and returns a new float32 tensor:
 *
 * - 'caffe' (VGG, ResNet): RGB→BGR, then y = x - [103.939, 116.779, 123.68] (BGR order);
 * - 'tf' (ResNetV2, Inception, Xception, MobileNet, NASNet): y = x / 127.5 - 1;
 * - 'torch' (DenseNet): y = (x / 255 - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225];
 * - 'none' (MobileNetV3, EfficientNet, EfficientNetV2, ConvNeXt, RegNet): y = x as float32.
 *
 * The input is never modified. It runs as one fused pass where the backend has a kernel.
 *
 * @param x a tf.Tensor (int32 or float32) or a raw batch `{ data, shape }`, e.g. uint8 from a decoder.
 * @param nameOrMode a mode or a Keras model name ('ResNet50', 'mobilenet_v2', 'efficientnetb3'...).
 * @param options layout (default 'channels_last'), spatialDims (default 2), kernel (default 'auto').
 * @throws PixelprepError E_ARGUMENT for an unknown name (listing close matches); E_SHAPE when a
 *   'caffe' or 'torch' input does not have 3 channels; E_DTYPE/E_VALUE for bad pixel data.
 * @example
 * const y = preprocessInput({ data: rgbBytes, shape: [1, 224, 224, 3] }, 'ResNet50');
 * const z = preprocessInput(batchNCHW, 'densenet121', { layout: 'channels_first' });
 */
export function preprocessInput(x: PixelInput, nameOrMode: string, options: PreprocessOptions = {}): tf.Tensor {
  const { plan, kernel } = planFor(x, nameOrMode, options, 'x');
  return plan.apply(x, { kernel });
}

/**
 * Undoes `preprocessInput`: maps model inputs back to float32 RGB pixel values
 * (0..255 for inputs that came from 0..255 pixels), e.g. for display or saving.
 * Exact up to float32 rounding: uint8 pixels come back exactly after rounding.
 *
 * - 'caffe': x = y + [103.939, 116.779, 123.68], then BGR→RGB;
 * - 'tf': x = (y + 1) * 127.5;
 * - 'torch': x = (y * [0.229, 0.224, 0.225] + [0.485, 0.456, 0.406]) * 255;
 * - 'none': x = y.
 *
 * @param y preprocessed values: a float32 tf.Tensor or a raw batch.
 * @param nameOrMode the mode or model name used to preprocess.
 * @param options layout (default 'channels_last'), spatialDims (default 2), kernel (default 'auto').
 * @throws PixelprepError as preprocessInput does.
 * @example
 * const pixels = deprocessInput(preprocessInput(x, 'vgg16'), 'vgg16'); // == x as float32
 */
export function deprocessInput(y: PixelInput, nameOrMode: string, options: PreprocessOptions = {}): tf.Tensor {
  const { plan, kernel } = planFor(y, nameOrMode, options, 'y');
  return plan.invert(y, { kernel });
}
