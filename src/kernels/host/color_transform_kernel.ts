/** The host colour transform on a kernel's input, for the cpu and wasm kernels. */
import type { HostPixels } from '../../core/input.js';
import type { PixelprepColorTransformAttrs } from '../../core/kernel_names.js';
import { pixelMapHost } from './color_transform.js';

/** Writes y = A (x - before) + after for `host` into `out`, from the kernel's attributes. */
export function colorTransformHost(host: HostPixels, a: PixelprepColorTransformAttrs, out: Float32Array): void {
  pixelMapHost(host.data, host.geometry, { matrix: Float64Array.from(a.matrix), before: Float64Array.from(a.before), after: Float64Array.from(a.after) }, out);
}
