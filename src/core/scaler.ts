/**
 * Scaler: a scaling method compiled with its options. `apply` turns pixels into
 * float32 in one fused pass; statistics come from each image, the whole batch,
 * or a dataset fit passed in as `stats`.
 */
import { guardPlanInto } from './apply_guard.js';
import type * as tf from '@tensorflow/tfjs-core';
import { groupMoments, momentsOf, momentsOfHost, type InputMoments } from './compute_stats.js';
import { PixelprepError } from './errors.js';
import { assertFinite, inspectInput, readHostPixels, type HostPixels, type PixelDtype, type PixelInput } from './input.js';
import { checkPlanFits } from './affine_op.js';
import { KERNEL_CHOICES, kernelProvider, type KernelChoice } from './kernel_registry.js';
import { LAYOUTS, SPATIAL_DIMS, type Layout, type SpatialDims } from './layout.js';
import {
  METHOD_NEEDS,
  METHODS,
  PERS,
  SCOPES,
  ZERO_VARIANCE_POLICIES,
  methodCoefficients,
  methodTail,
  needsStats,
  type GroupStats,
  type Method,
  type MethodParams,
  type Per,
  type Scope,
  type ZeroVariancePolicy,
} from './methods.js';
import { AffinePlan } from './plan.js';
import { CONVENTIONS, CONVENTION_SETTINGS, type Convention } from './conventions.js';
import { std as stdOf } from './moments.js';
import { validateStats, type PixelStats } from './pixel_stats.js';
import { describe, fail, isDefined, isNumber, isPlainObject, knownKeys, numberRange, oneOf, positiveNumber } from './validate.js';

/** Published constants instead of a fit, e.g. `{ mean: [123.68, 116.78, 103.94], std: [58.4, 57.1, 57.4] }` in pixel units. */
export interface ReferenceStats {
  mean?: number | readonly number[];
  std?: number | readonly number[];
  min?: number | readonly number[];
  max?: number | readonly number[];
}

export interface ScalerOptions {
  /** The scaling method (see the table in methods.ts / the README). */
  method: Method;
  /** 'channel' (default): statistics per channel; 'global': all channels pooled. */
  per?: Per;
  /** 'image', 'batch' or 'dataset'. Default: 'dataset' when `stats` is given, else 'image'. */
  scope?: Scope;
  /** Statistics for scope 'dataset': a PixelStats fit, or reference constants. */
  stats?: PixelStats | ReferenceStats;
  /** Memory layout of the channel axis. Default 'channels_last'. */
  layout?: Layout;
  /** 2 for images, 3 for volumes ([N,D,H,W,C]). Default 2. */
  spatialDims?: SpatialDims;
  /** Input range [a, b] for normalize. Default [0, 65535] for Uint16Array data, else [0, 255]. */
  range?: readonly [number, number];
  /** Output range for normalize and min-max. Default [0, 1]. */
  target?: readonly [number, number];
  /** Multiplier(s) for rescale: one number or one per channel. */
  scale?: number | readonly number[];
  /** Addend(s) for rescale: one number or one per channel. Default 0. */
  offset?: number | readonly number[];
  /** Smallest std (or max - min) divided by. Default 1e-7 (Keras). */
  epsilon?: number;
  /**
   * Spread below epsilon: 'clamp' (default) divides by max(spread, ε); 'add' by spread + ε;
   * 'one' by 1 where spread < ε; 'error' throws where spread < ε.
   */
  zeroVariance?: ZeroVariancePolicy;
  /**
   * A framework's zero-variance handling by name ('keras', 'keras-idg', 'albumentations',
   * 'torchvision', 'sklearn'; see conventions.ts): sets zeroVariance, epsilon and
   * (albumentations) a [-20, 20] output clip. Explicit zeroVariance/epsilon must agree with it.
   */
  convention?: Convention;
  /** 'auto' (default), 'fused' or 'composite' (tfjs op chain, the tfjs-node path). */
  kernel?: KernelChoice;
}

const OPTION_KEYS = ['method', 'per', 'scope', 'stats', 'layout', 'spatialDims', 'range', 'target', 'scale', 'offset', 'epsilon', 'zeroVariance', 'convention', 'kernel'] as const;

export interface ScalerJSON {
  format: 'pixelprep-scaler';
  version: 1;
  method: Method;
  per: Per;
  scope: Scope;
  layout: Layout;
  spatialDims: SpatialDims;
  range: [number, number] | null;
  target: [number, number];
  /** Multipliers and addends of method 'rescale' (null for other methods). */
  scale: number[] | null;
  offset: number[] | null;
  epsilon: number;
  zeroVariance: ZeroVariancePolicy;
  /** The named convention, or null (absent in files written before conventions existed). */
  convention?: Convention | null;
  /** Per-group statistics for scope 'dataset' (one entry per channel, or one for per 'global'). */
  stats: GroupStats[] | null;
}

const DEFAULT_TARGET: readonly [number, number] = [0, 1];
const DEFAULT_EPSILON = 1e-7;

/** A scaling method with its options compiled. Create with `createScaler`. */
export class Scaler {
  readonly method: Method;
  readonly per: Per;
  readonly scope: Scope;
  readonly layout: Layout;
  readonly spatialDims: SpatialDims;
  readonly range: readonly [number, number] | null;
  readonly target: readonly [number, number];
  readonly epsilon: number;
  readonly zeroVariance: ZeroVariancePolicy;
  readonly convention: Convention | null;
  /** Clip of standardize/min-max outputs set by the convention, or null. */
  readonly outputClip: readonly [number, number] | null;
  readonly kernel: KernelChoice;
  private readonly rescale: { scale: number[]; offset: number[] };
  /** Statistics for scope 'dataset', one group per channel (or one for 'global'). */
  private readonly datasetGroups: GroupStats[] | null;

  constructor(options: ScalerOptions) {
    if (!isPlainObject(options)) fail('E_ARGUMENT', 'options', 'an options object', options);
    knownKeys('options', options, OPTION_KEYS);
    this.method = oneOf('method', options.method, METHODS);
    this.per = oneOf('per', options.per, PERS, 'channel');
    this.scope = oneOf('scope', options.scope, SCOPES, isDefined(options.stats) ? 'dataset' : 'image');
    this.layout = oneOf('layout', options.layout, LAYOUTS, 'channels_last');
    this.spatialDims = oneOf('spatialDims', options.spatialDims, SPATIAL_DIMS, 2);
    this.range = options.range === undefined ? null : numberRange('range', options.range);
    this.target = numberRange('target', options.target, DEFAULT_TARGET);
    this.convention = options.convention === undefined ? null : oneOf('convention', options.convention, CONVENTIONS);
    const settings = this.convention ? CONVENTION_SETTINGS[this.convention] : null;
    this.epsilon = positiveNumber('epsilon', options.epsilon, settings?.epsilon ?? DEFAULT_EPSILON);
    this.zeroVariance = oneOf('zeroVariance', options.zeroVariance, ZERO_VARIANCE_POLICIES, settings?.zeroVariance ?? 'clamp');
    if (settings && (this.epsilon !== settings.epsilon || this.zeroVariance !== settings.zeroVariance)) {
      throw new PixelprepError(
        'E_ARGUMENT',
        `Expected zeroVariance '${settings.zeroVariance}' and epsilon ${settings.epsilon} with convention '${this.convention}' (or neither) but received zeroVariance '${this.zeroVariance}' and epsilon ${this.epsilon}`,
      );
    }
    this.outputClip = settings?.outputClip ?? null;
    this.kernel = oneOf('kernel', options.kernel, KERNEL_CHOICES, 'auto');
    this.rescale = resolveRescale(this.method, options.scale, options.offset);
    this.datasetGroups = this.resolveDatasetStats(options.stats);
  }

  /** True when the plan does not depend on the data (fixed range, rescale, or dataset statistics). */
  get isFixed(): boolean {
    return !needsStats(this.method) || this.scope === 'dataset';
  }

  /**
   * The affine plan for `x`: computes the statistics the scope asks for from `x`
   * (float64, one pass), or uses the fixed plan.
   */
  plan(x?: PixelInput): AffinePlan {
    if (this.isFixed) return this.fixedPlan(x === undefined ? undefined : inspectInput(x, this).dtype);
    if (x === undefined) {
      throw new PixelprepError('E_ARGUMENT', `Expected the input x to compute ${this.scope} statistics from (method '${this.method}', scope '${this.scope}') but received undefined`);
    }
    return this.planFromMoments(momentsOf(x, this));
  }

  /** The plan that does not depend on the data; `dtype` picks normalize's default range. */
  private fixedPlan(dtype: PixelDtype | undefined): AffinePlan {
    const groups = this.datasetGroups ?? [{ mean: 0, std: 1, min: 0, max: 1 }];
    const channels = needsStats(this.method) ? groups.length : this.rescale.scale.length;
    return this.buildPlan(Array.from({ length: channels }, (_, c) => groups[Math.min(c, groups.length - 1)]), 1, channels, dtype);
  }

  /** The plan from the moments of the input per (image, channel). */
  private planFromMoments({ geometry, moments }: InputMoments): AffinePlan {
    const perImage = this.scope === 'image';
    const groups = groupMoments(moments, geometry, perImage, this.per).map((m) => ({ mean: m.mean, std: stdOf(m), min: m.min, max: m.max }));
    return this.buildPlan(groups, perImage ? geometry.images : 1, this.per === 'global' ? 1 : geometry.channels, undefined);
  }

  /**
   * Scales `x` and returns a new float32 tensor of the same shape.
   * @throws PixelprepError E_SHAPE, E_DTYPE, E_VALUE, E_STATS on bad input.
   */
  apply(x: PixelInput): tf.Tensor {
    return this.plan(x).apply(x, { kernel: this.kernel });
  }

  /**
   * Scales `x` into the caller's Float32Array (same length) on the host with
   * the host kernel, whatever the tfjs backend: no tensor, no allocation, no
   * kernel registry (the one path that bypasses `runKernel`, for training
   * loops that reuse buffers; a tensor input is read with dataSync).
   */
  applyInto(x: PixelInput, out: Float32Array): Float32Array {
    // The pixels are read once: the statistics and the kernel share them.
    const host = readHostPixels(x, this);
    const plan = this.isFixed ? this.fixedPlan(host.dtype) : this.planFromMoments(momentsOfHost(host));
    applyPlanInto(host, plan, out);
    return out;
  }

  /**
   * Maps scaled values back to pixel values. Plans that depend on the data
   * (scope 'image' or 'batch') need the plan that scaled them: `scaler.plan(x)`.
   */
  invert(y: PixelInput, plan?: AffinePlan): tf.Tensor {
    if (plan) return plan.invert(y, { kernel: this.kernel });
    if (!this.isFixed) {
      throw new PixelprepError('E_ARGUMENT', `Expected the plan used to scale (from scaler.plan(x)) to invert scope '${this.scope}' but received none`);
    }
    return this.plan().invert(y, { kernel: this.kernel });
  }

  toJSON(): ScalerJSON {
    return {
      format: 'pixelprep-scaler',
      version: 1,
      method: this.method,
      per: this.per,
      scope: this.scope,
      layout: this.layout,
      spatialDims: this.spatialDims,
      range: this.range ? [this.range[0], this.range[1]] : null,
      target: [this.target[0], this.target[1]],
      scale: this.method === 'rescale' ? [...this.rescale.scale] : null,
      offset: this.method === 'rescale' ? [...this.rescale.offset] : null,
      epsilon: this.epsilon,
      zeroVariance: this.zeroVariance,
      convention: this.convention,
      stats: this.datasetGroups ? this.datasetGroups.map((g) => ({ ...g })) : null,
    };
  }

  /** @throws PixelprepError E_FORMAT when `json` is not a version-1 scaler. */
  static fromJSON(json: unknown): Scaler {
    if (!isPlainObject(json) || json.format !== 'pixelprep-scaler') {
      throw new PixelprepError('E_FORMAT', `Expected a pixelprep-scaler JSON object but received ${describe(isPlainObject(json) ? json.format : json)}`);
    }
    if (json.version !== 1) throw new PixelprepError('E_FORMAT', `Expected pixelprep-scaler version 1 but received ${describe(json.version)}`);
    // Each field is validated by the constructor, as if a user had passed it.
    const { stats: groups, range, scale, offset, convention, format: _format, version: _version, ...rest } = json;
    if (groups !== null && !(Array.isArray(groups) && groups.every(isPlainObject))) {
      throw new PixelprepError('E_FORMAT', `Expected stats to be null or a list of { mean, std, min, max } in the scaler JSON but received ${describe(groups)}`);
    }
    const column = (key: keyof GroupStats) => (groups as Record<string, unknown>[]).map((g) => g[key]);
    const stats = groups === null ? undefined : { mean: column('mean'), std: column('std'), min: column('min'), max: column('max') };
    return new Scaler({ ...rest, range: range ?? undefined, scale: scale ?? undefined, offset: offset ?? undefined, convention: convention ?? undefined, stats } as ScalerOptions);
  }

  private buildPlan(groups: GroupStats[], images: number, channels: number, dtype: PixelDtype | undefined): AffinePlan {
    const params: MethodParams = {
      range: this.range ?? (dtype === 'uint16' ? [0, 65535] : [0, 255]),
      target: this.target,
      epsilon: this.epsilon,
      zeroVariance: this.zeroVariance,
      rescale: this.rescale,
      outputClip: this.outputClip,
    };
    const coefficients = groups.map((group, i) => methodCoefficients(this.method, group, i % channels, params));
    return new AffinePlan(
      { images, channels, scale: coefficients.map((k) => k.scale), offset: coefficients.map((k) => k.offset), ...methodTail(this.method, params) },
      this,
    );
  }

  private resolveDatasetStats(stats: ScalerOptions['stats']): GroupStats[] | null {
    if (this.scope !== 'dataset') {
      if (isDefined(stats)) fail('E_ARGUMENT', 'stats', `scope 'dataset' (stats are only used with it; scope is '${this.scope}')`, stats);
      return null;
    }
    if (!needsStats(this.method)) {
      if (isDefined(stats)) fail('E_ARGUMENT', 'stats', `a method that uses statistics (method '${this.method}' does not)`, stats);
      return null;
    }
    if (!isDefined(stats)) fail('E_STATS', 'stats', `statistics (mean, std, min, max) for method '${this.method}' with scope 'dataset'`, stats);
    if (!isPlainObject(stats)) fail('E_STATS', 'stats', 'a PixelStats object or { mean, std, min, max }', stats);
    if ('m2' in stats) {
      const fittedLayout = isPlainObject(stats.source) ? stats.source.layout : undefined;
      if (fittedLayout && fittedLayout !== this.layout) {
        throw new PixelprepError('E_STATS', `Expected statistics fitted with layout '${this.layout}' but these were fitted with '${fittedLayout}'`);
      }
      const full = validateStats(stats);
      const use = this.per === 'global' ? [full.global] : full.mean.map((mean, c) => ({ mean, std: full.std[c], min: full.min[c], max: full.max[c] }));
      return use.map(({ mean, std, min, max }) => ({ mean, std, min, max }));
    }
    return referenceGroups(stats as ReferenceStats, this.method, this.per);
  }
}

/** Turns reference constants into groups: the fields the method needs are required, every given field is checked. */
function referenceGroups(stats: ReferenceStats, method: Method, per: Per): GroupStats[] {
  const needs = METHOD_NEEDS[method];
  const lists = new Map<string, number[]>();
  for (const field of ['mean', 'std', 'min', 'max'] as const) {
    const value = stats[field];
    if (value === undefined && !needs.includes(field)) continue;
    const list = isNumber(value) ? [value] : Array.isArray(value) ? [...value] : null;
    if (!list || list.length === 0 || !list.every(isNumber)) fail('E_STATS', `stats.${field}`, `a finite number or a list of them (method '${method}' needs ${needs.join(', ')})`, value);
    if (field === 'std' && list.some((s) => s < 0)) fail('E_STATS', 'stats.std', 'non-negative values', value);
    lists.set(field, list);
  }
  const length = Math.max(...[...lists.values()].map((l) => l.length));
  for (const [field, list] of lists) {
    if (list.length !== 1 && list.length !== length) {
      throw new PixelprepError('E_STATS', `Expected stats.${field} to have 1 or ${length} values (one per channel) but received ${list.length}`);
    }
  }
  const [mins, maxs] = [lists.get('min'), lists.get('max')];
  if (mins && maxs) {
    for (let c = 0; c < length; c++) {
      const [lo, hi] = [mins[Math.min(c, mins.length - 1)], maxs[Math.min(c, maxs.length - 1)]];
      if (lo > hi) throw new PixelprepError('E_STATS', `Expected stats.min[${c}] ≤ stats.max[${c}] but received min ${lo} and max ${hi}`);
    }
  }
  if (per === 'global' && length !== 1) {
    throw new PixelprepError('E_STATS', `Expected one value per statistic for per 'global' but received ${length} (per-channel statistics need per 'channel', or pass full PixelStats)`);
  }
  const at = (field: string, c: number) => {
    const list = lists.get(field);
    return list ? list[Math.min(c, list.length - 1)] : 0;
  };
  return Array.from({ length }, (_, c) => ({ mean: at('mean', c), std: at('std', c), min: at('min', c), max: at('max', c) }));
}

function resolveRescale(method: Method, scale: unknown, offset: unknown): { scale: number[]; offset: number[] } {
  if (method !== 'rescale') {
    if (scale !== undefined || offset !== undefined) fail('E_ARGUMENT', 'scale/offset', `method 'rescale' (they are only used by it; method is '${method}')`, scale ?? offset);
    return { scale: [1], offset: [0] };
  }
  const toList = (name: string, value: unknown, fallback: number | undefined): number[] => {
    if (value === undefined && fallback !== undefined) return [fallback];
    const list = isNumber(value) ? [value] : Array.isArray(value) ? [...(value as unknown[])] : null;
    if (!list || list.length === 0 || !list.every(isNumber)) return fail('E_ARGUMENT', name, 'a finite number or a list of finite numbers', value);
    return list as number[];
  };
  const s = toList('scale', scale, undefined);
  const o = toList('offset', offset, 0);
  if (s.some((v) => v === 0)) fail('E_ARGUMENT', 'scale', 'non-zero multipliers (a zero scale cannot be inverted)', scale);
  if (s.length !== o.length && s.length !== 1 && o.length !== 1) {
    throw new PixelprepError('E_ARGUMENT', `Expected scale and offset of equal length (or one of length 1) but received ${s.length} and ${o.length}`);
  }
  const length = Math.max(s.length, o.length);
  return { scale: Array.from({ length }, (_, c) => s[Math.min(c, s.length - 1)]), offset: Array.from({ length }, (_, c) => o[Math.min(c, o.length - 1)]) };
}

/**
 * Runs `plan` over pixels on the host into `out` with the host kernel (no tensor).
 * @throws PixelprepError E_SHAPE when the plan does not fit, E_ARGUMENT for a wrong `out`, E_VALUE for NaN/±Infinity.
 */
export function applyPlanInto(host: HostPixels, plan: AffinePlan, out: Float32Array): void {
  checkPlanFits(plan, host.geometry);
  if (!(out instanceof Float32Array) || out.length !== host.data.length) {
    throw new PixelprepError('E_ARGUMENT', `Expected out to be a Float32Array of length ${host.data.length} but received ${out instanceof Float32Array ? `length ${out.length}` : describe(out)}`);
  }
  assertFinite(host.data);
  // Outputs proven finite in float32, and an `out` that overlaps the input read from a copy where needed.
  kernelProvider().affineHost(guardPlanInto(host, plan.coefficients, out), plan.coefficients, out);
}

/** Compiles a scaling method with its options. */
export const createScaler = (options: ScalerOptions): Scaler => new Scaler(options);

/**
 * Scales pixel data in one call: `createScaler(options).apply(x)`.
 *
 * @example
 * const y = scale(images, { method: 'standardize', per: 'channel', scope: 'batch' });
 * @throws PixelprepError with a code naming what was wrong.
 */
export const scale = (x: PixelInput, options: ScalerOptions): tf.Tensor => new Scaler(options).apply(x);

/** Scales into the caller's Float32Array: `createScaler(options).applyInto(x, out)`. */
export const scaleInto = (x: PixelInput, out: Float32Array, options: ScalerOptions): Float32Array => new Scaler(options).applyInto(x, out);
