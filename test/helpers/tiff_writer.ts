/**
 * A minimal baseline TIFF writer (little-endian, uncompressed, one strip,
 * interleaved samples), so tests can make files in pixel formats sharp does
 * not write itself: float32/float64 samples (SampleFormat 3), signed integers
 * (SampleFormat 2). Follows TIFF 6.0, sections 2, 8 and 19.
 */

/** Sample types: the typed array decides bits per sample and SampleFormat. */
export type TiffSamples = Float32Array | Float64Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

function sampleFormatOf(data: TiffSamples): { bits: number; format: 1 | 2 | 3 } {
  if (data instanceof Float32Array) return { bits: 32, format: 3 };
  if (data instanceof Float64Array) return { bits: 64, format: 3 };
  if (data instanceof Int16Array) return { bits: 16, format: 2 };
  if (data instanceof Int32Array) return { bits: 32, format: 2 };
  if (data instanceof Uint16Array) return { bits: 16, format: 1 };
  if (data instanceof Uint32Array) return { bits: 32, format: 1 };
  return { bits: 8, format: 1 };
}

/** Encodes `data` ([height, width, channels] interleaved, channels 1 or 3) as a TIFF file. */
export function encodeTiff(data: TiffSamples, width: number, height: number, channels: 1 | 3): Uint8Array {
  if (data.length !== width * height * channels) throw new Error(`encodeTiff: ${data.length} samples for ${width}x${height}x${channels}`);
  const { bits, format } = sampleFormatOf(data);
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const entries: [tag: number, type: number, values: number[]][] = [
    [256, 4, [width]],
    [257, 4, [height]],
    [258, 3, Array(channels).fill(bits)],
    [259, 3, [1]], // no compression
    [262, 3, [channels === 1 ? 1 : 2]], // BlackIsZero or RGB
    [273, 4, [0]], // StripOffsets, patched below
    [277, 3, [channels]],
    [278, 4, [height]],
    [279, 4, [pixels.length]],
    [284, 3, [1]], // chunky
    [339, 3, Array(channels).fill(format)],
  ];
  const ifdOffset = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  // Values that do not fit in 4 bytes go after the IFD.
  let extra = ifdOffset + ifdSize;
  const extras: { offset: number; type: number; values: number[] }[] = [];
  const placed = entries.map(([tag, type, values]) => {
    const size = (type === 3 ? 2 : 4) * values.length;
    if (size <= 4) return { tag, type, values, offset: -1 };
    const offset = extra;
    extra += size + (size % 2);
    extras.push({ offset, type, values });
    return { tag, type, values, offset };
  });
  const dataOffset = extra + (extra % 2);
  const out = new Uint8Array(dataOffset + pixels.length);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49], 0);
  view.setUint16(2, 42, true);
  view.setUint32(4, ifdOffset, true);
  view.setUint16(ifdOffset, entries.length, true);
  placed.forEach(({ tag, type, values, offset }, i) => {
    const at = ifdOffset + 2 + i * 12;
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, values.length, true);
    const vals = tag === 273 ? [dataOffset] : values;
    if (offset >= 0) view.setUint32(at + 8, offset, true);
    else vals.forEach((v, k) => (type === 3 ? view.setUint16(at + 8 + 2 * k, v, true) : view.setUint32(at + 8 + 4 * k, v, true)));
  });
  view.setUint32(ifdOffset + 2 + entries.length * 12, 0, true);
  for (const { offset, type, values } of extras) values.forEach((v, k) => (type === 3 ? view.setUint16(offset + 2 * k, v, true) : view.setUint32(offset + 4 * k, v, true)));
  out.set(pixels, dataOffset);
  return out;
}
