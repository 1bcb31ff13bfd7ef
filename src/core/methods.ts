/**
 * Each scaling method as the coefficients of an affine plan (DESIGN.md §1):
 *
 * | method               | scale             | offset               | then                    |
 * |----------------------|-------------------|----------------------|-------------------------|
 * | normalize            | (t1-t0)/(b-a)     | t0 - a*scale         |                         |
 * | center               | 1                 | -mean                |                         |
 * | standardize          | 1/std             | -mean/std            |                         |
 * | positive-standardize | 1/std             | -mean/std            | clip [-1,1], ×0.5 +0.5  |
 * | min-max              | (t1-t0)/(max-min) | t0 - min*scale       |                         |
 * | rescale              | given             | given                |                         |
 *
 * [a,b] is the input range, [t0,t1] the target range (default [0,1]).
 *
 * The spread s (std, or max - min) is divided by after the zero-variance policy:
 *
 * | policy | divisor                   | used by                                          |
 * |--------|---------------------------|--------------------------------------------------|
 * | clamp  | max(s, ε)                 | Keras Normalization layer (ε = 1e-7), default    |
 * | add    | s + ε                     | Keras ImageDataGenerator (1e-6), albumentations (1e-4) |
 * | one    | 1 where s < ε, else s     | scikit-learn `_handle_zeros_in_scale`            |
 * | error  | s, throws where s < ε     | torchvision `Normalize` ("std evaluated to zero") |
 *
 * so constant data maps to 0 (or t0) instead of NaN. `conventions.ts` names
 * the framework settings (policy, ε and an output clip) as data.
 */
import { PixelprepError } from './errors.js';

export const METHODS = ['normalize', 'center', 'standardize', 'positive-standardize', 'min-max', 'rescale'] as const;
export type Method = (typeof METHODS)[number];

/** Whether one set of statistics covers every channel or each channel has its own. */
export const PERS = ['channel', 'global'] as const;
export type Per = (typeof PERS)[number];

/** Where statistics come from: each image, the whole mini-batch, or fitted earlier over a dataset. */
export const SCOPES = ['image', 'batch', 'dataset'] as const;
export type Scope = (typeof SCOPES)[number];

/** How a spread (std or max - min) below epsilon is treated; see the table above. */
export const ZERO_VARIANCE_POLICIES = ['clamp', 'add', 'one', 'error'] as const;
export type ZeroVariancePolicy = (typeof ZERO_VARIANCE_POLICIES)[number];

/** The statistics each method reads. */
export const METHOD_NEEDS: Readonly<Record<Method, readonly ('mean' | 'std' | 'min' | 'max')[]>> = {
  normalize: [],
  center: ['mean'],
  standardize: ['mean', 'std'],
  'positive-standardize': ['mean', 'std'],
  'min-max': ['min', 'max'],
  rescale: [],
};

export const needsStats = (method: Method): boolean => METHOD_NEEDS[method].length > 0;

/** Statistics of one group of values (one channel, one image, or everything pooled). */
export interface GroupStats {
  mean: number;
  std: number;
  min: number;
  max: number;
}

export interface MethodParams {
  /** Input range [a, b] for normalize. */
  range: readonly [number, number];
  /** Output range [t0, t1] for normalize and min-max. */
  target: readonly [number, number];
  epsilon: number;
  zeroVariance: ZeroVariancePolicy;
  /** Per-channel (or single) multipliers and addends for rescale. */
  rescale: { scale: readonly number[]; offset: readonly number[] };
  /** Clip of standardize and min-max outputs (albumentations' [-20, 20]); null or absent: none. */
  outputClip?: readonly [number, number] | null;
}

/** The clip and post-affine step, the same for every group. */
export function methodTail(method: Method, p?: Pick<MethodParams, 'outputClip'>): { clip: [number, number] | null; post: { scale: number; offset: number } | null } {
  if (method === 'positive-standardize') return { clip: [-1, 1], post: { scale: 0.5, offset: 0.5 } };
  const clip = (method === 'standardize' || method === 'min-max') && p?.outputClip ? p.outputClip : null;
  return { clip: clip ? [clip[0], clip[1]] : null, post: null };
}

/** scale and offset for one group (`channel` indexes per-channel rescale values). */
export function methodCoefficients(method: Method, group: GroupStats, channel: number, p: MethodParams): { scale: number; offset: number } {
  const [t0, t1] = p.target;
  switch (method) {
    case 'normalize': {
      const scale = (t1 - t0) / (p.range[1] - p.range[0]);
      return { scale, offset: t0 - p.range[0] * scale };
    }
    case 'rescale':
      return { scale: p.rescale.scale[channel], offset: p.rescale.offset[channel] };
    case 'center':
      return { scale: 1, offset: -group.mean };
    case 'standardize':
    case 'positive-standardize': {
      const std = guardSpread(group.std, 'standard deviation', p);
      return { scale: 1 / std, offset: -group.mean / std };
    }
    case 'min-max': {
      const scale = (t1 - t0) / guardSpread(group.max - group.min, 'range (max - min)', p);
      return { scale, offset: t0 - group.min * scale };
    }
  }
}

function guardSpread(spread: number, what: string, p: MethodParams): number {
  if (!Number.isFinite(spread)) {
    throw new PixelprepError('E_VALUE', `Expected a finite ${what} but received ${spread} (values too large for float64 statistics)`);
  }
  switch (p.zeroVariance) {
    case 'add':
      return spread + p.epsilon;
    case 'one':
      return spread < p.epsilon ? 1 : spread;
    case 'error':
      if (spread < p.epsilon) {
        throw new PixelprepError('E_VALUE', `Expected a ${what} of at least epsilon ${p.epsilon} but received ${spread} (constant data; zeroVariance 'error' refuses it, as torchvision's Normalize does); use zeroVariance 'clamp', 'add' or 'one' to map it to 0`);
      }
      return spread;
    case 'clamp':
      return Math.max(spread, p.epsilon);
  }
}

/** What `methodPlanCoefficients` returns: the fields of plan.ts's AffineCoefficients (kept structural so methods.ts imports no plan). */
export interface MethodPlanCoefficients {
  images: number;
  channels: number;
  scale: number[];
  offset: number[];
  clip: [number, number] | null;
  post: { scale: number; offset: number } | null;
  channelOrder: readonly number[] | null;
}

/**
 * The affine coefficients of `method` over per-group statistics: the one
 * compiler from the method table to a plan, used by scalers, presets, model
 * configs and conventions alike. `groups` holds `images * channels` entries
 * (image-major); `channelOrder` permutes channels on the way.
 */
export function methodPlanCoefficients(
  method: Method,
  groups: readonly GroupStats[],
  p: MethodParams,
  shape: { images: number; channels: number; channelOrder?: readonly number[] | null },
): MethodPlanCoefficients {
  const coefficients = groups.map((group, i) => methodCoefficients(method, group, i % shape.channels, p));
  return {
    images: shape.images,
    channels: shape.channels,
    scale: coefficients.map((k) => k.scale),
    offset: coefficients.map((k) => k.offset),
    ...methodTail(method, p),
    channelOrder: shape.channelOrder ?? null,
  };
}

/** Neutral statistics for methods that read none (normalize, rescale). */
export const NO_STATS: GroupStats = Object.freeze({ mean: 0, std: 1, min: 0, max: 1 });
