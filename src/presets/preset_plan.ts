/**
 * A preset as an affine plan from the core, so it runs on the fused kernel of
 * every backend, inverts exactly, and serializes like any other plan.
 */
import { PixelprepError } from '../core/errors.js';
import type { Layout, SpatialDims } from '../core/layout.js';
import { NO_STATS, methodPlanCoefficients } from '../core/methods.js';
import { AffinePlan } from '../core/plan.js';
import { fail, isInteger, isPlainObject, knownKeys } from '../core/validate.js';
import { modeChannels, modeCoefficients } from './modes.js';
import { resolvePreset } from './resolve_preset.js';

export interface PresetPlanOptions {
  /** Where the channel axis is. Default 'channels_last'. */
  layout?: Layout;
  /** 2 for images, 3 for volumes. Default 2. */
  spatialDims?: SpatialDims;
  /** The input's channel count, checked against the mode ('caffe' and 'torch' need 3). Default: not checked. */
  channels?: number;
}

const PLAN_OPTION_KEYS = ['layout', 'spatialDims', 'channels'] as const;

/**
 * The affine plan of a preset: `y[c] = x[order[c]] * scale[c] + offset[c]` with
 * scale = rescale / std and offset = -mean / std from the mode's constants
 * (see MODE_FORMULAS). Modes that treat every channel alike ('tf', 'none')
 * give one coefficient set shared by every channel, so they fit any channel count.
 *
 * @param nameOrMode a mode, a Keras model name or module (see resolvePreset).
 * @param options layout (default 'channels_last'), spatialDims (default 2), channels (checked when given).
 * @throws PixelprepError E_ARGUMENT for an unknown name or bad options; E_SHAPE when `channels` does not fit the mode.
 * @example
 * const plan = presetPlan('ResNet50');           // RGB→BGR, minus the ImageNet BGR means
 * const y = plan.apply({ data: rgb, shape: [224, 224, 3] });
 */
export function presetPlan(nameOrMode: string, options: PresetPlanOptions = {}): AffinePlan {
  const raw: unknown = options;
  if (!isPlainObject(raw)) fail('E_ARGUMENT', 'options', 'an options object', raw);
  knownKeys('options', raw, PLAN_OPTION_KEYS);
  const { model, mode } = resolvePreset(nameOrMode);
  const needed = modeChannels(mode);
  if (options.channels !== undefined) {
    if (!isInteger(options.channels) || options.channels < 1) fail('E_ARGUMENT', 'channels', 'a positive integer', options.channels);
    if (needed !== null && options.channels !== needed) {
      const what = model ? `${model.name} (mode '${mode}')` : `mode '${mode}'`;
      throw new PixelprepError('E_SHAPE', `Expected ${needed} channels (RGB) for ${what} but received ${options.channels}`);
    }
  }
  // A preset is data over the method table: method 'rescale' with the mode's constants and channel order.
  const { scale, offset, channelOrder } = modeCoefficients(mode);
  const coefficients = methodPlanCoefficients(
    'rescale',
    scale.map(() => NO_STATS),
    { range: [0, 255], target: [0, 1], epsilon: 1, zeroVariance: 'clamp', rescale: { scale, offset } },
    { images: 1, channels: scale.length, channelOrder },
  );
  return new AffinePlan(coefficients, { layout: options.layout, spatialDims: options.spatialDims });
}
