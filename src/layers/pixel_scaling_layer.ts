/**
 * PixelScaling: a tfjs-layers layer that bakes an affine plan (a fitted
 * scaler, a Keras preset, or any plan) into a model, so the model takes raw
 * pixels and saves and loads with its preprocessing.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { PixelprepError } from '../core/errors.js';
import { KERNEL_CHOICES, type KernelChoice } from '../kernels/index.js';
import type { Layout } from '../core/layout.js';
import { AffinePlan } from '../core/plan.js';
import { presetPlan, type PresetPlanOptions } from '../presets/preset_plan.js';
import type { Scaler } from '../core/scaler.js';
import { describe, isPlainObject, oneOf } from '../core/validate.js';
import { applyPlanToBatch } from './differentiable_plan.js';

/** The options every tfjs-layers layer takes (name, inputShape, dtype, trainable...). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

export interface PixelScalingArgs extends LayerArgs {
  /** The plan to apply: an AffinePlan, or its JSON (what `getConfig().plan` holds). */
  plan: AffinePlan | tf.serialization.ConfigDict;
  /**
   * 'auto' (default): the backend's fused kernel forward where it has one, else tfjs ops;
   * 'fused': the fused kernel or an E_BACKEND error; 'composite': always tfjs ops.
   * A run-time choice: not saved with the model.
   */
  kernel?: KernelChoice;
}

/**
 * tfjs-layers writes string values in snake case and reads them back in camel
 * case, so a saved 'channels_last' comes back as 'channelsLast' (tfjs' own
 * dataFormat spelling). Both spellings are accepted on load.
 */
const LAYOUT_SPELLINGS: Readonly<Record<string, Layout>> = {
  channels_last: 'channels_last',
  channels_first: 'channels_first',
  channelsLast: 'channels_last',
  channelsFirst: 'channels_first',
};

function toPlan(value: unknown): AffinePlan {
  if (value instanceof AffinePlan) return value;
  if (!isPlainObject(value)) {
    throw new PixelprepError('E_ARGUMENT', `Expected plan to be an AffinePlan or its JSON but received ${describe(value)}`);
  }
  const layout = typeof value.layout === 'string' ? (LAYOUT_SPELLINGS[value.layout] ?? value.layout) : value.layout;
  return AffinePlan.fromJSON({ ...value, layout });
}

/** The plan's JSON as a tfjs ConfigDict (plain numbers, strings, arrays and objects). */
function planConfig(plan: AffinePlan): tf.serialization.ConfigDict {
  const json = plan.toJSON();
  return {
    format: json.format,
    version: json.version,
    layout: json.layout,
    spatialDims: json.spatialDims,
    images: json.images,
    channels: json.channels,
    scale: json.scale,
    offset: json.offset,
    clip: json.clip,
    post: json.post ? { scale: json.post.scale, offset: json.post.offset } : null,
    channelOrder: json.channelOrder,
  };
}

/**
 * A layer that applies an affine plan, on any backend, in inference and in
 * training (it has no weights; gradients pass through). The forward pass is
 * the backend's fused kernel where it has one, else the tfjs op chain:
 *
 *     y = clip(x[order] * scale[c] + offset[c], lo, hi) * post.scale + post.offset
 *
 * Inputs are batches (axis 0 is the batch, as for every Keras layer), int32 or
 * float32; the output is float32 of the same shape. The plan must hold one
 * coefficient set for every image (a fixed plan: a preset, a dataset fit, a range).
 * `getConfig()` carries the plan's JSON, and the class is registered with
 * `tf.serialization.registerClass`, so `model.save` / `tf.loadLayersModel` restore it.
 *
 * @throws PixelprepError E_ARGUMENT for a plan with per-image coefficients or a malformed plan JSON.
 * @example
 * const model = tf.sequential({ layers: [
 *   PixelScaling.fromPreset('MobileNetV2', { inputShape: [224, 224, 3] }),
 *   tf.layers.conv2d({ filters: 8, kernelSize: 3 }),
 * ] });
 */
export class PixelScaling extends tfl.layers.Layer {
  /** The name tfjs-layers serializes this layer under. */
  static className = 'PixelScaling';
  /** The plan this layer applies. */
  readonly plan: AffinePlan;
  /** Which kernel runs the forward pass ('auto', 'fused' or 'composite'). */
  readonly kernel: KernelChoice;

  constructor(args: PixelScalingArgs) {
    if (!isPlainObject(args)) {
      throw new PixelprepError('E_ARGUMENT', `Expected PixelScaling arguments { plan, ...layer options } but received ${describe(args)}`);
    }
    const { plan, kernel, ...layerArgs } = args;
    super(layerArgs);
    this.plan = toPlan(plan);
    this.kernel = oneOf('kernel', kernel, KERNEL_CHOICES, 'auto');
    if (this.plan.coefficients.images !== 1) {
      throw new PixelprepError(
        'E_ARGUMENT',
        `Expected a plan with one coefficient set for every image (a preset, a dataset fit or a fixed range) for PixelScaling but received one with ${this.plan.coefficients.images} per-image sets`,
      );
    }
  }

  /**
   * A layer for a Keras preset ('ResNet50', 'mobilenet_v2', 'caffe'...).
   * @param options layout (default 'channels_last'), spatialDims (default 2), channels (checked), and any layer option.
   * @throws PixelprepError E_ARGUMENT for an unknown name, listing close matches.
   */
  static fromPreset(nameOrMode: string, options: Omit<PixelScalingArgs, 'plan'> & PresetPlanOptions = {}): PixelScaling {
    const { layout, spatialDims, channels, ...layerArgs } = options;
    return new PixelScaling({ ...layerArgs, plan: presetPlan(nameOrMode, { layout, spatialDims, channels }) });
  }

  /**
   * A layer for a scaler whose plan does not depend on the data (scope 'dataset',
   * or a method without statistics such as normalize or rescale).
   * @throws PixelprepError E_ARGUMENT for a scaler with scope 'image' or 'batch'.
   */
  static fromScaler(scaler: Scaler, options: Omit<PixelScalingArgs, 'plan'> = {}): PixelScaling {
    if (!scaler.isFixed) {
      throw new PixelprepError(
        'E_ARGUMENT',
        `Expected a scaler with fixed statistics (scope 'dataset', or a method without statistics) for PixelScaling but received method '${scaler.method}' with scope '${scaler.scope}'`,
      );
    }
    return new PixelScaling({ ...options, plan: scaler.plan() });
  }

  /** A layer for any plan with one coefficient set for every image. */
  static fromPlan(plan: AffinePlan, options: Omit<PixelScalingArgs, 'plan'> = {}): PixelScaling {
    return new PixelScaling({ ...options, plan });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length !== 1) throw new PixelprepError('E_ARGUMENT', `Expected one input tensor for PixelScaling but received ${list.length}`);
    return applyPlanToBatch(list[0], this.plan, this.kernel);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), plan: planConfig(this.plan) };
  }
}

tf.serialization.registerClass(PixelScaling, 'pixelprep');
