/**
 * The kernels' attributes made from a plan and an input's geometry, and read
 * back by the kernels: one place that knows how kernel_names.ts maps to the
 * types the host and device kernels use.
 */
import type { PixelAttrs, PixelprepAffineAttrs, PixelprepMomentsAttrs, PixelPacking } from './kernel_names.js';
import { resolveGeometry, type Geometry, type SpatialDims } from './layout.js';
import type { AffineCoefficients } from './coefficients.js';

/** The geometry described by a kernel's attributes (see PixelprepAffineAttrs.channelAxis). */
export function geometryOfAttrs(attrs: PixelAttrs): Geometry {
  const options = { layout: attrs.layout, spatialDims: attrs.spatialDims };
  const shape = attrs.shape;
  if (attrs.channelAxis || shape.length !== attrs.spatialDims + 1) return resolveGeometry(shape, options);
  // A batch of images without a channel axis.
  const image = resolveGeometry(shape.slice(1), options);
  return { ...image, shape: [...shape], images: shape[0], batched: true };
}

/** The spatial rank of a geometry: its rank less the batch and channel axes. */
export const spatialDimsOf = (g: Geometry): SpatialDims => (g.shape.length - (g.batched ? 1 : 0) - (g.hasChannelAxis ? 1 : 0) === 3 ? 3 : 2);

/** PixelprepAffine's attributes for coefficients `k` over pixels of geometry `g` held with `packing`. */
export function affineAttrs(k: AffineCoefficients, g: Geometry, packing: PixelPacking): PixelprepAffineAttrs {
  return {
    layout: g.layout,
    spatialDims: spatialDimsOf(g),
    packing,
    shape: [...g.shape],
    channelAxis: g.hasChannelAxis,
    images: k.images,
    channels: k.channels,
    scale: [...k.scale],
    offset: [...k.offset],
    clip: k.clip ? [k.clip[0], k.clip[1]] : [],
    postScale: k.post?.scale ?? 1,
    postOffset: k.post?.offset ?? 0,
    channelOrder: k.channelOrder ? [...k.channelOrder] : [],
  };
}

/** PixelprepMoments' attributes for pixels of geometry `g`. */
export function momentsAttrs(g: Geometry, packing: PixelPacking, perImage: boolean): PixelprepMomentsAttrs {
  return { layout: g.layout, spatialDims: spatialDimsOf(g), packing, shape: [...g.shape], channelAxis: g.hasChannelAxis, perImage };
}

/** The plan's coefficients carried by PixelprepAffine's attributes. */
export function coefficientsOfAttrs(a: PixelprepAffineAttrs): AffineCoefficients {
  const identityPost = a.postScale === 1 && a.postOffset === 0;
  return {
    images: a.images,
    channels: a.channels,
    scale: a.scale,
    offset: a.offset,
    clip: a.clip.length === 2 ? [a.clip[0], a.clip[1]] : null,
    post: identityPost ? null : { scale: a.postScale, offset: a.postOffset },
    channelOrder: a.channelOrder.length > 0 ? a.channelOrder : null,
  };
}
