/**
 * The geometric steps of Python preprocessing pipelines, with the sizes and
 * offsets computed exactly as the frameworks compute them.
 *
 * - Shortest-edge resize (HF `get_resize_output_image_size(default_to_square=False)`,
 *   torchvision `_compute_resized_output_size`): the short side becomes `size`, the long
 *   side `int(size * long / short)` (float64 division, truncated).
 * - Center crop: HF's numpy `center_crop` starts at `(H - h) // 2` and, when the crop is
 *   larger, places the image at `ceil((h - H) / 2)` in a zero canvas; torchvision's
 *   `F.center_crop` starts at `int(round((H - h) / 2.0))` (Python's round: half to even)
 *   and pads `(h - H) // 2` before.
 */

/** How a center crop rounds its offset: HF numpy ('floor') or torchvision ('half-even'). */
export type CropRounding = 'floor' | 'half-even';

/** [height, width] after resizing the shortest edge of [height, width] to `size`. */
export function shortestEdgeSize(height: number, width: number, size: number): [number, number] {
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.trunc((size * long) / short);
  return width <= height ? [newLong, size] : [size, newLong];
}

/** Python 3 `round()` of a float: ties go to the even integer. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

/** One axis of a center crop: copy `count` values from `from` in the source to `to` in the output. */
export interface CropSpan {
  from: number;
  to: number;
  count: number;
}

/** The span of one axis when cropping (or padding) a length `length` to `crop`. */
export function cropSpan(length: number, crop: number, rounding: CropRounding): CropSpan {
  if (length >= crop) {
    const start = rounding === 'floor' ? Math.floor((length - crop) / 2) : roundHalfEven((length - crop) / 2);
    return { from: start, to: 0, count: crop };
  }
  const pad = rounding === 'floor' ? Math.ceil((crop - length) / 2) : Math.floor((crop - length) / 2);
  return { from: 0, to: pad, count: length };
}

/** Center-crops an interleaved [H, W, C] uint8 image to [h, w, C] (zero padding where the crop is larger). */
export function centerCrop(data: Uint8Array, shape: readonly [number, number, number], crop: readonly [number, number], rounding: CropRounding): Uint8Array {
  const [H, W, C] = shape;
  const [h, w] = crop;
  const rows = cropSpan(H, h, rounding);
  const cols = cropSpan(W, w, rounding);
  const out = new Uint8Array(h * w * C);
  for (let r = 0; r < rows.count; r++) {
    const source = ((rows.from + r) * W + cols.from) * C;
    out.set(data.subarray(source, source + cols.count * C), ((rows.to + r) * w + cols.to) * C);
  }
  return out;
}
