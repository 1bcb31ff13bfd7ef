/**
 * Channel conversion after decoding, written to give Pillow's values exactly:
 *
 * - colour to grey is Pillow's `convert('L')` (ITU-R 601-2 luma, integer form):
 *   L = floor((19595 R + 38470 G + 7471 B + 32768) / 65536)
 * - grey to colour repeats the grey value; an added alpha is opaque (255 or 65535);
 * - dropping alpha discards it without compositing, as `convert('RGB')` does.
 */

/** What the decoder produced: interleaved samples with `stored` channels per pixel. */
export interface StoredLayout {
  /** Channels per pixel in the buffer: 1 (grey), 3 (RGB) or 4 (RGBA; grey+alpha arrives as G,G,G,A). */
  stored: 1 | 3 | 4;
  /** True when the image is grey (in a 4-channel buffer its three colour channels are equal). */
  grey: boolean;
  /** True when the buffer carries an alpha channel (the last one). */
  alpha: boolean;
}

/** Output channel sources: an input channel index, 'luma', or 'opaque' (the maximum value). */
export type ChannelSource = number | 'luma' | 'opaque';

/** Decides where each output channel comes from, for `channels` output channels (`keepAlpha` for 'keep'). */
export function channelSources(layout: StoredLayout, channels: 1 | 3 | 4 | 'keep', keepAlpha: boolean): ChannelSource[] {
  const alphaIndex = layout.stored - 1;
  const colour: ChannelSource[] = layout.stored === 1 ? [0, 0, 0] : [0, 1, 2];
  const grey: ChannelSource = layout.grey ? 0 : 'luma';
  const alpha: ChannelSource = layout.alpha ? alphaIndex : 'opaque';
  switch (channels) {
    case 1:
      return [grey];
    case 3:
      return colour;
    case 4:
      return [...colour, alpha];
    case 'keep': {
      const base = layout.grey ? [grey] : colour;
      return keepAlpha && layout.alpha ? [...base, alpha] : base;
    }
  }
}

/** True when `sources` reads the stored buffer unchanged. */
export const isIdentity = (sources: readonly ChannelSource[], stored: number): boolean =>
  sources.length === stored && sources.every((s, i) => s === i);

/**
 * Builds the output buffer from the stored one.
 * @param max the opaque value: 255 for 8-bit data, 65535 for 16-bit.
 */
export function convertChannels<T extends Uint8Array | Uint16Array>(data: T, stored: number, sources: readonly ChannelSource[], max: number): T {
  const pixels = data.length / stored;
  const channels = sources.length;
  const out = (data instanceof Uint16Array ? new Uint16Array(pixels * channels) : new Uint8Array(pixels * channels)) as T;
  for (let c = 0; c < channels; c++) {
    const source = sources[c];
    if (source === 'opaque') {
      for (let p = 0; p < pixels; p++) out[p * channels + c] = max;
    } else if (source === 'luma') {
      for (let p = 0, i = 0; p < pixels; p++, i += stored) {
        out[p * channels + c] = Math.floor((data[i] * 19595 + data[i + 1] * 38470 + data[i + 2] * 7471 + 32768) / 65536);
      }
    } else {
      for (let p = 0; p < pixels; p++) out[p * channels + c] = data[p * stored + source];
    }
  }
  return out;
}
