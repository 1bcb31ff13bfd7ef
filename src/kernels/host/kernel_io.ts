/**
 * What the host kernels (cpu, wasm) share: the input's pixels as the host reads
 * them, and the moments output as PixelprepMoments records.
 */
import { PixelprepError } from '../../core/errors.js';
import { assertFinite, pixelDtypeOf, type HostPixels } from '../../core/input.js';
import { describe } from '../../core/validate.js';
import { geometryOfAttrs } from '../../core/kernel_attrs.js';
import { unpackedView } from '../../core/kernel_input.js';
import type { PixelprepMomentsAttrs } from '../../core/kernel_names.js';
import { valueCount } from '../../core/layout.js';
import { encodeMomentRecords } from '../../core/moment_partials.js';
import { mergeAll } from '../../core/moments.js';
import { accumulateMoments } from './moments.js';

/** The pixels a kernel input holds (packed words reinterpreted, no copy), checked finite. */
export function kernelPixels(values: unknown, attrs: Pick<PixelprepMomentsAttrs, 'layout' | 'spatialDims' | 'packing' | 'shape' | 'channelAxis'>): HostPixels {
  if (!(values instanceof Int32Array || values instanceof Float32Array)) {
    throw new PixelprepError('E_BACKEND', `Expected the kernel input's values on the host as an Int32Array or Float32Array but received ${describe(values)}`);
  }
  const geometry = geometryOfAttrs(attrs);
  const data = unpackedView(values, attrs.packing, valueCount(geometry));
  assertFinite(data);
  return { data, dtype: pixelDtypeOf(data), geometry };
}

/** PixelprepMoments' records of host pixels: one float64 record per (image, channel), or per channel. */
export function momentRecordsOf(host: HostPixels, perImage: boolean): Int32Array {
  assertFinite(host.data);
  const moments = accumulateMoments(host);
  if (perImage) return encodeMomentRecords(moments);
  const { images, channels: C } = host.geometry;
  return encodeMomentRecords(Array.from({ length: C }, (_, c) => mergeAll(Array.from({ length: images }, (_, n) => moments[n * C + c]))));
}
