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
 * A std or max-min below `epsilon` is replaced by `epsilon` (Keras' convention,
 * default 1e-7), so constant data maps to 0 (or t0) instead of NaN; with
 * `zeroVariance: 'error'` it throws instead (torchvision's convention).
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

export const ZERO_VARIANCE_POLICIES = ['clamp', 'error'] as const;
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
}

/** The clip and post-affine step, the same for every group. */
export function methodTail(method: Method): { clip: [number, number] | null; post: { scale: number; offset: number } | null } {
  return method === 'positive-standardize' ? { clip: [-1, 1], post: { scale: 0.5, offset: 0.5 } } : { clip: null, post: null };
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
  if (spread >= p.epsilon) return spread;
  if (p.zeroVariance === 'error') {
    throw new PixelprepError('E_VALUE', `Expected a ${what} of at least epsilon ${p.epsilon} but received ${spread} (constant data); use zeroVariance: 'clamp' to map it to 0`);
  }
  return p.epsilon;
}
