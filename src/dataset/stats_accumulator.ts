/**
 * StatsAccumulator: float64 statistics of a stream of inputs in bounded memory.
 *
 * Each input goes through the core's one-pass `accumulateMoments` (exact
 * histograms for uint8, shifted float64 sums otherwise) and is merged into one
 * (count, mean, M2, min, max) per channel with the parallel formula of Chan et
 * al. Nothing else is kept, so ten images and ten million cost the same memory,
 * and two accumulators over disjoint data merge to the single-pass result.
 */
import { PixelprepError } from '../core/errors.js';
import { assertFinite, readHostPixels, type PixelInput } from '../core/input.js';
import { LAYOUTS, SPATIAL_DIMS, type GeometryOptions, type Layout, type SpatialDims } from '../core/layout.js';
import { PERS, type Per } from '../core/methods.js';
import { accumulateMoments } from '../kernels/host/moments.js';
import { emptyMoments, mergeInto, mergeMoments, type Moments } from '../core/moments.js';
import { globalStats, statsFromMoments, type PixelStats, type StatsSource } from '../core/pixel_stats.js';
import { fail, isInteger, isNumber, isPlainObject, knownKeys, numberRange, oneOf } from '../core/validate.js';
import { checkSource } from './stats_source.js';
import { addDigests, formatDigest, inputDigest, parseDigest, type Digest } from './content_digest.js';

export interface AccumulatorOptions extends GeometryOptions {
  /**
   * Declared value range [low, high] of the pixels, e.g. [0, 255] or [0, 1].
   * Every value must lie inside it (E_VALUE otherwise, naming the input), which
   * catches a stream that mixes raw and already scaled images. Recorded in the result's `source`.
   */
  range?: readonly [number, number];
  /** 'channel' (default): one set of statistics per channel; 'global': every channel pooled into one. */
  per?: Per;
  /** Extra provenance recorded in the result's `source` (e.g. `{ resize: { width: 224, height: 224 } }`). */
  source?: StatsSource;
  /**
   * Pool 8-bit (Uint8Array) and 16-bit (Uint16Array) pixels in one fit.
   * Default false: an input of the other bit depth than the inputs before it
   * is E_DTYPE, since statistics of 0..255 and 0..65535 pixels pooled describe
   * neither. Other element types (int32, float32, float64) carry no bit depth
   * and pool with either.
   */
  mixedDepths?: boolean;
}

/** Bit depth of the integer pixel types; other types carry none. */
const BIT_DEPTHS: Readonly<Partial<Record<string, number>>> = { uint8: 8, uint16: 16 };

const OPTION_KEYS = ['layout', 'spatialDims', 'range', 'per', 'source', 'mixedDepths'] as const;

/** The accumulator's whole state: what a checkpoint stores and `StatsAccumulator.restore` reads back. */
export interface AccumulatorState {
  channels: number;
  inputs: number;
  images: number;
  moments: Moments[];
  /** Bit depths counted, 8 and/or 16 (absent in checkpoints of earlier versions). */
  depths?: number[];
  /** Content digest of the inputs counted (absent in checkpoints of earlier versions: then unknown). */
  digest?: string | null;
}

/**
 * Streams inputs into float64 per-channel moments. `fitStats` uses it; use it
 * directly to fit inside your own loop.
 *
 * @example
 * const acc = new StatsAccumulator({ range: [0, 255] });
 * for await (const batch of loader) acc.add(batch);
 * const stats = acc.result(); // { channels: 3, mean: [...], std: [...], ... }
 */
export class StatsAccumulator {
  readonly layout: Layout;
  readonly spatialDims: SpatialDims;
  readonly range: readonly [number, number] | null;
  readonly per: Per;
  private readonly extraSource: StatsSource;
  private readonly mixedDepths: boolean;
  private moments: Moments[] | null = null;
  private depths = new Set<number>();
  /** Sum of the inputs' digests; null when unknown (resumed from a state that did not record it). */
  private digest: Digest | null = [0, 0];
  private inputCount = 0;
  private imageCount = 0;

  /** @throws PixelprepError E_ARGUMENT on an unknown or malformed option. */
  constructor(options: AccumulatorOptions = {}) {
    if (!isPlainObject(options)) fail('E_ARGUMENT', 'options', 'an options object', options);
    knownKeys('options', options, OPTION_KEYS);
    this.layout = oneOf('layout', options.layout, LAYOUTS, 'channels_last');
    this.spatialDims = oneOf('spatialDims', options.spatialDims, SPATIAL_DIMS, 2);
    this.range = options.range === undefined ? null : numberRange('range', options.range);
    this.per = oneOf('per', options.per, PERS, 'channel');
    this.extraSource = options.source === undefined ? {} : checkSource(options.source, 'options.source', 'E_ARGUMENT');
    if (options.mixedDepths !== undefined && typeof options.mixedDepths !== 'boolean') fail('E_ARGUMENT', 'mixedDepths', 'a boolean', options.mixedDepths);
    this.mixedDepths = options.mixedDepths ?? false;
  }

  /** Channels seen so far (null before the first input). */
  get channels(): number | null {
    return this.moments?.length ?? null;
  }

  /** Inputs added so far. */
  get inputs(): number {
    return this.inputCount;
  }

  /** Images counted so far (a batch of N counts N). */
  get images(): number {
    return this.imageCount;
  }

  /** Values counted so far, all channels together. */
  get values(): number {
    return this.moments ? this.moments.reduce((sum, m) => sum + m.count, 0) : 0;
  }

  /**
   * Counts one input: a tensor (read once to the host, not disposed) or a raw batch.
   * `label` names the input in error messages (default "input <index>").
   *
   * @throws PixelprepError E_SHAPE when its channel count differs from the inputs before it,
   *   E_VALUE on NaN/Infinity or values outside `range`, E_DTYPE/E_SHAPE on malformed input.
   *   A rejected input leaves the accumulator unchanged.
   */
  add(x: PixelInput, label = `input ${this.inputCount}`): this {
    const host = readHostPixels(x, this, label);
    const { geometry } = host;
    if (this.moments && geometry.channels !== this.moments.length) {
      throw new PixelprepError(
        'E_SHAPE',
        `Expected ${label} to have ${this.moments.length} channels like the inputs before it but received shape [${geometry.shape.join(',')}] with ${geometry.channels} (${this.layout})`,
      );
    }
    const depth = BIT_DEPTHS[host.dtype];
    if (!this.mixedDepths && depth !== undefined && this.depths.size > 0 && !this.depths.has(depth)) {
      throw new PixelprepError(
        'E_DTYPE',
        `Expected ${label} to hold ${[...this.depths][0]}-bit pixels like the inputs before it but received ${depth}-bit ${host.dtype} (statistics of different bit depths do not pool; decode every file at one depth, or pass mixedDepths: true / --mixed-depths)`,
      );
    }
    assertFinite(host.data, label);
    const perImage = accumulateMoments(host);
    if (this.range) this.checkRange(perImage, geometry.channels, label);
    const C = geometry.channels;
    const totals = this.moments ?? Array.from({ length: C }, emptyMoments);
    for (let i = 0; i < perImage.length; i++) {
      const m = perImage[i];
      mergeInto(totals[i % C], m.count, m.mean, m.m2, m.min, m.max);
    }
    this.moments = totals;
    this.inputCount++;
    this.imageCount += geometry.images;
    if (depth !== undefined) this.depths.add(depth);
    if (this.digest) this.digest = addDigests(this.digest, inputDigest(host.data, host.dtype, geometry.shape));
    return this;
  }

  /**
   * Adds another accumulator's counts (Chan et al.): the result equals one
   * accumulator that saw both streams.
   * @throws PixelprepError E_SHAPE when the channel counts differ, E_ARGUMENT when `other` is not an accumulator.
   */
  merge(other: StatsAccumulator): this {
    if (!(other instanceof StatsAccumulator)) fail('E_ARGUMENT', 'other', 'a StatsAccumulator', other);
    if (!other.moments) return this;
    if (this.moments && this.moments.length !== other.moments.length) {
      throw new PixelprepError('E_SHAPE', `Expected an accumulator with ${this.moments.length} channels to merge but received one with ${other.moments.length}`);
    }
    const depths = new Set([...this.depths, ...other.depths]);
    if (!this.mixedDepths && depths.size > 1) {
      throw new PixelprepError('E_DTYPE', `Expected an accumulator of ${[...this.depths].join(', ')}-bit pixels to merge but received one of ${[...other.depths].join(', ')}-bit pixels (pass mixedDepths: true to pool them)`);
    }
    const mine = this.moments;
    this.moments = other.moments.map((m, c) => (mine ? mergeMoments(mine[c], m) : { ...m }));
    this.inputCount += other.inputCount;
    this.imageCount += other.imageCount;
    this.depths = depths;
    this.digest = this.digest && other.digest ? addDigests(this.digest, other.digest) : null;
    return this;
  }

  /**
   * The statistics of everything added: per channel (or pooled for per 'global'),
   * with `source` recording layout, spatialDims and range.
   * @throws PixelprepError E_STATS when nothing has been added.
   */
  result(): PixelStats {
    if (!this.moments) throw new PixelprepError('E_STATS', 'Expected at least one image to compute statistics from but received none');
    const stats = statsFromMoments(this.moments, this.imageCount);
    const shaped = this.per === 'global' ? globalStats(stats) : stats;
    return { ...shaped, source: this.source() };
  }

  /**
   * What `result()` records as its source: layout, spatialDims, range, and
   * once inputs are counted what they were: `bitDepth` (8 or 16 for uint8 or
   * uint16 pixels, 'mixed' for both; absent for other types) and `digest`, the
   * content digest of the data (16 hex digits, see content_digest.ts) that
   * lets a merge refuse the same data twice.
   */
  source(): StatsSource {
    const source: StatsSource = { ...this.extraSource, layout: this.layout, spatialDims: this.spatialDims };
    if (this.range) source.range = [this.range[0], this.range[1]];
    if (this.depths.size > 0) source.bitDepth = this.depths.size === 1 ? [...this.depths][0] : 'mixed';
    if (this.inputCount > 0 && this.digest) source.digest = formatDigest(this.digest);
    return source;
  }

  /** A copy of the state (null before the first input), for checkpoints. */
  state(): AccumulatorState | null {
    if (!this.moments) return null;
    return {
      channels: this.moments.length,
      inputs: this.inputCount,
      images: this.imageCount,
      moments: this.moments.map((m) => ({ ...m })),
      depths: [...this.depths],
      digest: this.digest ? formatDigest(this.digest) : null,
    };
  }

  /**
   * An accumulator that continues from `state` (as `state()` returned it, possibly via JSON).
   * @throws PixelprepError E_STATS when the state is malformed.
   */
  static restore(state: unknown, options: AccumulatorOptions = {}): StatsAccumulator {
    const acc = new StatsAccumulator(options);
    if (state === null) return acc;
    const bad = (what: string, value: unknown): never => fail('E_STATS', `state.${what}`, 'a valid value in the saved accumulator state', value);
    if (!isPlainObject(state)) return bad('', state);
    const { channels, inputs, images, moments } = state;
    if (!isInteger(channels) || channels < 1) bad('channels', channels);
    if (!isInteger(inputs) || inputs < 1) bad('inputs', inputs);
    if (!isInteger(images) || images < 1) bad('images', images);
    if (!Array.isArray(moments) || moments.length !== channels) return bad('moments', moments);
    acc.moments = moments.map((m: unknown, c): Moments => {
      if (!isPlainObject(m)) return bad(`moments[${c}]`, m);
      const { count, mean, m2, min, max } = m;
      if (!isInteger(count) || count < 1) return bad(`moments[${c}].count`, count);
      if (!isNumber(mean)) return bad(`moments[${c}].mean`, mean);
      if (!isNumber(m2) || m2 < 0) return bad(`moments[${c}].m2`, m2);
      if (!isNumber(min) || !isNumber(max) || !(min <= mean && mean <= max)) return bad(`moments[${c}] min/max`, [min, mean, max]);
      return { count, mean, m2, min, max };
    });
    acc.inputCount = inputs as number;
    acc.imageCount = images as number;
    // Checkpoints of earlier versions record neither: the digest of what they counted is then unknown.
    const { depths, digest } = state;
    if (depths !== undefined && !(Array.isArray(depths) && depths.every((d) => d === 8 || d === 16))) bad('depths', depths);
    acc.depths = new Set((depths as number[] | undefined) ?? []);
    acc.digest = parseDigest(digest);
    if (digest !== undefined && digest !== null && acc.digest === null) bad('digest', digest);
    return acc;
  }

  private checkRange(perImage: readonly Moments[], channels: number, label: string): void {
    const [lo, hi] = this.range ?? [-Infinity, Infinity];
    perImage.forEach((m, i) => {
      if (m.min < lo || m.max > hi) {
        const value = m.min < lo ? m.min : m.max;
        const image = Math.floor(i / channels);
        throw new PixelprepError(
          'E_VALUE',
          `Expected values in [${lo}, ${hi}] (the range option) in ${label} but received ${value} in image ${image}, channel ${i % channels}; is the data scaled differently from the range declared?`,
        );
      }
    });
  }
}

