/**
 * Float64 statistics of pixel data: per channel (default) or pooled over all
 * channels, for the whole input or for each image.
 */
import type { PixelInput } from './input.js';
import type { Geometry, GeometryOptions } from './layout.js';
import { PERS, type Per } from './methods.js';
import { momentsOf } from './moments_op.js';
import { mergeAll, type Moments } from './moments.js';
import { statsFromMoments, type PixelStats } from './pixel_stats.js';
import { oneOf } from './validate.js';

export { momentsOf, momentsOfHost, type InputMoments } from './moments_op.js';

export interface StatsOptions extends GeometryOptions {
  /** 'channel' (default): one set per channel; 'global': every channel pooled into one. */
  per?: Per;
}

/** Groups per-(image, channel) moments into the groups a statistics scope and `per` ask for. */
export function groupMoments(moments: readonly Moments[], g: Geometry, perImage: boolean, per: Per): Moments[] {
  const C = g.channels;
  const images = perImage ? g.images : 1;
  const groups: Moments[] = [];
  for (let n = 0; n < images; n++) {
    const ofImage = (c: number) => (perImage ? [moments[n * C + c]] : Array.from({ length: g.images }, (_, m) => moments[m * C + c]));
    if (per === 'global') groups.push(mergeAll(Array.from({ length: C }, (_, c) => ofImage(c)).flat()));
    else for (let c = 0; c < C; c++) groups.push(mergeAll(ofImage(c)));
  }
  return groups;
}

/**
 * Float64 statistics over the whole input: count, mean, population std, min, max.
 * The reduction is the PixelprepMoments kernel of the current backend, merged
 * in float64; on webgpu (no synchronous readback in Node) the pixels are read
 * on the host: `computeStatsOnDevice` reduces on the device.
 *
 * @example
 * const s = computeStats({ data: rgb, shape: [224, 224, 3] });
 * s.mean; // [r, g, b]
 * @throws PixelprepError E_SHAPE, E_DTYPE, E_VALUE (NaN/Infinity) on bad input.
 */
export function computeStats(x: PixelInput, options: StatsOptions = {}): PixelStats {
  const per = oneOf('per', options.per, PERS, 'channel');
  const { geometry, moments } = momentsOf(x, options);
  return statsFromMoments(groupMoments(moments, geometry, false, per), geometry.images);
}

/** Like computeStats, one PixelStats for each image of a batch. */
export function computeImageStats(x: PixelInput, options: StatsOptions = {}): PixelStats[] {
  const per = oneOf('per', options.per, PERS, 'channel');
  const { geometry, moments } = momentsOf(x, options);
  const groups = groupMoments(moments, geometry, true, per);
  const size = per === 'global' ? 1 : geometry.channels;
  return Array.from({ length: geometry.images }, (_, n) => statsFromMoments(groups.slice(n * size, (n + 1) * size), 1));
}
