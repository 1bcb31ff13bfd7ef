/**
 * How a shape maps to images, pixels and channels.
 *
 * With `spatialDims` S (2 for images, 3 for volumes), a rank of S is one image
 * without a channel axis (grayscale), S+1 one image, S+2 a batch.
 */
import { PixelprepError } from './errors.js';
import { oneOf } from './validate.js';

export const LAYOUTS = ['channels_last', 'channels_first'] as const;
export type Layout = (typeof LAYOUTS)[number];
export const SPATIAL_DIMS = [2, 3] as const;
export type SpatialDims = (typeof SPATIAL_DIMS)[number];

export interface Geometry {
  readonly shape: readonly number[];
  readonly layout: Layout;
  /** Images in the input (1 when the input is a single image). */
  readonly images: number;
  /** Channels per pixel (1 when there is no channel axis). */
  readonly channels: number;
  /** Pixels (or voxels) per image and channel. */
  readonly pixels: number;
  /** True when the shape has a batch axis. */
  readonly batched: boolean;
  /** True when the shape has a channel axis. */
  readonly hasChannelAxis: boolean;
}

export interface GeometryOptions {
  layout?: Layout;
  spatialDims?: SpatialDims;
}

/** Resolves `shape` under the layout options, or throws E_SHAPE naming what was expected. */
export function resolveGeometry(shape: readonly number[], options: GeometryOptions = {}): Geometry {
  const layout = oneOf('layout', options.layout, LAYOUTS, 'channels_last');
  const spatialDims = oneOf('spatialDims', options.spatialDims, SPATIAL_DIMS, 2);
  const rank = shape.length;
  if (rank < spatialDims || rank > spatialDims + 2) {
    const kind = spatialDims === 2 ? '[H,W], [H,W,C] or [N,H,W,C]' : '[D,H,W], [D,H,W,C] or [N,D,H,W,C]';
    throw new PixelprepError(
      'E_SHAPE',
      `Expected a shape of rank ${spatialDims} to ${spatialDims + 2} (${kind}${layout === 'channels_first' ? ', channels first' : ''}) but received [${shape.join(',')}] of rank ${rank}`,
    );
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 1) {
      throw new PixelprepError('E_SHAPE', `Expected every dimension to be a positive integer but received shape [${shape.join(',')}]`);
    }
  }
  const batched = rank === spatialDims + 2;
  const hasChannelAxis = rank > spatialDims;
  const images = batched ? shape[0] : 1;
  const rest = batched ? shape.slice(1) : shape;
  let channels = 1;
  let spatial = rest;
  if (hasChannelAxis) {
    channels = layout === 'channels_last' ? rest[rest.length - 1] : rest[0];
    spatial = layout === 'channels_last' ? rest.slice(0, -1) : rest.slice(1);
  }
  const pixels = spatial.reduce((a, b) => a * b, 1);
  return { shape: [...shape], layout, images, channels, pixels, batched, hasChannelAxis };
}

/** Total number of values described by the geometry. */
export const valueCount = (g: Geometry): number => g.images * g.channels * g.pixels;

/** Index of the channel axis in the shape (the last axis when there is none, where channels = 1). */
export const channelAxis = (g: Geometry): number =>
  g.layout === 'channels_last' || !g.hasChannelAxis ? g.shape.length - 1 : g.batched ? 1 : 0;

/**
 * The shape a per-(image,)channel coefficient broadcasts from: 1 everywhere
 * except the channel axis (C) and, for per-image coefficients, the batch axis (N).
 */
export function coefficientShape(g: Geometry, perImage: boolean, perChannel: boolean): number[] {
  const shape = g.shape.map(() => 1);
  if (perImage && g.batched) shape[0] = g.images;
  if (perChannel && g.hasChannelAxis) shape[channelAxis(g)] = g.channels;
  return shape;
}
