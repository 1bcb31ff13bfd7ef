/**
 * Image files to raw pixels with sharp, value for value what Pillow gives
 * (`ImageOps.exif_transpose(Image.open(f))`, then `convert`) for JPEG, PNG,
 * WebP, TIFF and GIF: embedded ICC profiles are not applied (Pillow and
 * tf.io.decode_image ignore them too), JPEG uses the accurate integer IDCT
 * with fancy upsampling (libjpeg's defaults), and channel conversion follows
 * Pillow's formulas (see channels.ts). CMYK is converted to sRGB through its
 * ICC profile (or libvips' default CMYK profile).
 */
import type { Metadata, Sharp } from 'sharp';
import { PixelprepError } from '../core/errors.js';
import type { RawBatch } from '../core/input.js';
import { fail, isInteger, isPlainObject, knownKeys, oneOf } from '../core/validate.js';
import { channelSources, convertChannels, isIdentity, type ChannelSource, type StoredLayout } from './channels.js';
import { resolveResize, sharpResize, type ResizeOptions } from './resize.js';
import { loadSharp } from './sharp_module.js';
import { DEFAULT_MAX_IMAGE_BYTES, readRegularFile } from './read_regular.js';

/** Values of DecodeOptions.channels. */
export const DECODE_CHANNELS = [1, 3, 4, 'keep'] as const;
export type DecodeChannels = (typeof DECODE_CHANNELS)[number];
/** Values of DecodeOptions.alpha. */
export const ALPHA_MODES = ['drop', 'keep'] as const;
export type AlphaMode = (typeof ALPHA_MODES)[number];
/** Values of DecodeOptions.depth. */
export const DECODE_DEPTHS = ['uint8', 'auto'] as const;
export type DecodeDepth = (typeof DECODE_DEPTHS)[number];

/** Formats decoded (sharp's names; 'heif' is AVIF here). Vector and document formats are refused. */
const DECODABLE_FORMATS = ['jpeg', 'png', 'webp', 'tiff', 'gif', 'heif'] as const;

/** sharp's default pixel limit, 16383 × 16383: larger declared sizes are rejected before decoding. */
export const DEFAULT_LIMIT_INPUT_PIXELS = 0x3fff * 0x3fff;
/** Default budget for the decoded (and resized) output: 16383² pixels, like the input. */
export const DEFAULT_LIMIT_OUTPUT_PIXELS = 0x3fff * 0x3fff;
/**
 * Largest raw buffer asked of libvips: 2 GiB. Far below the 4 GiB at which
 * its raw output fails natively (a double free, exit 134), whatever the
 * pixel budgets say.
 */
export const MAX_DECODED_BYTES = 2 * 1024 ** 3;

export interface DecodeOptions {
  /**
   * Output channels. 'keep' (default): grey images give 1 channel, colour
   * images 3 (plus alpha when `alpha` is 'keep'). 1: grey (luma of colour
   * images). 3: RGB (grey repeated). 4: RGBA (opaque alpha added when absent).
   */
  channels?: DecodeChannels;
  /** With channels 'keep': 'drop' (default) discards alpha, 'keep' keeps it (grey+alpha gives 2 channels). */
  alpha?: AlphaMode;
  /** 'uint8' (default): 16-bit sources keep their high byte (v >> 8). 'auto': 16-bit PNG/TIFF give a Uint16Array. */
  depth?: DecodeDepth;
  /** Resize (and centre-crop) to a fixed size after orientation. Default: none. */
  resize?: ResizeOptions;
  /** Apply the EXIF orientation tag (default true). false matches tf.io.decode_image and Keras load_img, which ignore it. */
  autoOrient?: boolean;
  /** Reject images declaring more pixels than this (decompression bombs). Default 268402689 (16383²). */
  limitInputPixels?: number;
  /**
   * Reject a decode whose output (after `resize`) has more pixels than this: a
   * huge resize of a tiny file is an output bomb. Default 268402689 (16383²).
   * Whatever it is, a decode whose raw output would exceed 2 GiB is refused.
   */
  limitOutputPixels?: number;
  /** Read image files of at most this many bytes (a huge or sparse file is refused unread). Default 1 GiB. */
  maxInputBytes?: number;
}

/** Decode options with every default filled in. */
export interface ResolvedDecodeOptions {
  channels: DecodeChannels;
  alpha: AlphaMode;
  depth: DecodeDepth;
  resize: Required<ResizeOptions> | null;
  autoOrient: boolean;
  limitInputPixels: number;
  limitOutputPixels: number;
  maxInputBytes: number;
}

/**
 * One decoded image: interleaved samples, shape [height, width, channels].
 * Uint8Array for 8-bit data, Uint16Array for 16-bit data with depth 'auto',
 * Float32Array for float32 TIFF with depth 'auto' (the stored values, unscaled).
 */
export interface DecodedImage extends RawBatch {
  readonly data: Uint8Array | Uint16Array | Float32Array;
  readonly shape: readonly [number, number, number];
}

/** The option names decodeImage accepts (the batch loader passes these through). */
export const DECODE_OPTION_KEYS = ['channels', 'alpha', 'depth', 'resize', 'autoOrient', 'limitInputPixels', 'limitOutputPixels', 'maxInputBytes'] as const;

/**
 * Validates decode options and fills in the defaults.
 * @throws PixelprepError E_ARGUMENT naming the bad option.
 */
export function resolveDecodeOptions(options: unknown = {}): ResolvedDecodeOptions {
  if (!isPlainObject(options)) fail('E_ARGUMENT', 'options', 'an options object', options);
  knownKeys('options', options, DECODE_OPTION_KEYS);
  const channels = oneOf('channels', options.channels, DECODE_CHANNELS, 'keep');
  const alpha = oneOf('alpha', options.alpha, ALPHA_MODES, 'drop');
  if (alpha === 'keep' && channels !== 'keep') {
    fail('E_ARGUMENT', 'alpha', `'drop' with channels ${channels} (alpha: 'keep' goes with channels 'keep'; channels 4 always has alpha)`, alpha);
  }
  const autoOrient = options.autoOrient ?? true;
  if (typeof autoOrient !== 'boolean') fail('E_ARGUMENT', 'autoOrient', 'a boolean', autoOrient);
  const limit = options.limitInputPixels ?? DEFAULT_LIMIT_INPUT_PIXELS;
  if (!isInteger(limit) || limit < 1) fail('E_ARGUMENT', 'limitInputPixels', 'a positive integer number of pixels', limit);
  const outputLimit = options.limitOutputPixels ?? DEFAULT_LIMIT_OUTPUT_PIXELS;
  if (!isInteger(outputLimit) || outputLimit < 1) fail('E_ARGUMENT', 'limitOutputPixels', 'a positive integer number of pixels', outputLimit);
  const maxInputBytes = options.maxInputBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  if (!isInteger(maxInputBytes) || maxInputBytes < 1) fail('E_ARGUMENT', 'maxInputBytes', 'a positive integer number of bytes', maxInputBytes);
  const resize = options.resize === undefined ? null : resolveResize(options.resize);
  // Known before any file is read: a resize past the output budget is a bad option.
  if (resize && resize.width * resize.height > outputLimit) {
    throw new PixelprepError(
      'E_ARGUMENT',
      `Expected resize of at most ${outputLimit} pixels (limitOutputPixels) but received ${resize.width}×${resize.height} = ${resize.width * resize.height}`,
    );
  }
  return {
    channels,
    alpha,
    depth: oneOf('depth', options.depth, DECODE_DEPTHS, 'uint8'),
    resize,
    autoOrient,
    limitInputPixels: limit,
    limitOutputPixels: outputLimit,
    maxInputBytes,
  };
}

/** How errors name the source: the path, or the buffer. */
const sourceName = (source: string | Uint8Array): string => (typeof source === 'string' ? source : `the image buffer (${source.length} bytes)`);

async function readSource(source: string | Uint8Array, maxBytes: number): Promise<Uint8Array> {
  if (typeof source !== 'string') {
    if (!(source instanceof Uint8Array)) fail('E_ARGUMENT', 'source', 'a file path or a Uint8Array of encoded image bytes', source);
    return source;
  }
  if (source.length === 0) fail('E_ARGUMENT', 'source', 'a file path or a Uint8Array of encoded image bytes', source);
  // Regular files only: a FIFO, /dev/zero or a link to them is refused instead of read forever.
  return readRegularFile(source, 'an image file', maxBytes);
}

/**
 * The stored layout and the colourspace to ask libvips for, from the header.
 * 16-bit sources are always read at 16 bits (`wide`): narrowing to 8 bits is
 * done here as v >> 8 for every layout, where libvips' own conversions round
 * differently for grey and colour.
 */
function plan(meta: Metadata): { layout: StoredLayout; space: 'b-w' | 'grey16' | 'srgb' | 'rgb16'; wide: boolean } {
  const grey = meta.space === 'b-w' || meta.space === 'grey16';
  const alpha = meta.hasAlpha === true;
  const wide = meta.depth === 'ushort';
  // A grey image with alpha is read as sRGB (grey repeated, alpha last) because libvips'
  // b-w output drops alpha; the grey value is then taken from the first channel.
  if (grey && !alpha) return { layout: { stored: 1, grey, alpha }, space: wide ? 'grey16' : 'b-w', wide };
  return { layout: { stored: alpha ? 4 : 3, grey, alpha }, space: wide ? 'rgb16' : 'srgb', wide };
}

/** The high byte of each 16-bit sample (Pillow's reading of 16-bit RGB). */
function highBytes(data: Uint16Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] >> 8;
  return out;
}

/** Turns a sharp failure into a PixelprepError naming the file. */
function decodeError(name: string, error: unknown): PixelprepError {
  if (error instanceof PixelprepError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format/i.test(message)) {
    return new PixelprepError('E_FORMAT', `Expected an image (JPEG, PNG, WebP, TIFF, GIF or AVIF) in ${name} but its content is not a supported image format`, { cause: error });
  }
  if (/pixel limit/i.test(message)) {
    return new PixelprepError('E_FORMAT', `Expected an image within the pixel limit (limitInputPixels) in ${name} but it declares more pixels: ${message}`, { cause: error });
  }
  return new PixelprepError('E_FORMAT', `Expected a valid image in ${name} but decoding failed: ${message.split('\n')[0]}`, { cause: error });
}

/**
 * Decodes an image file (or encoded bytes) to raw pixels, shape [H, W, C].
 *
 * Orientation from EXIF is applied, then the optional resize, then the
 * channel conversion. Animated and multi-page files give their first page.
 *
 * @param source a file path, or the encoded bytes of a JPEG, PNG, WebP, TIFF, GIF or AVIF image.
 * @param options channels ('keep'), alpha ('drop'), depth ('uint8'), resize (none), autoOrient (true), limitInputPixels (16383²).
 * @returns `{ data: Uint8Array | Uint16Array, shape: [height, width, channels] }`, a RawBatch every pixelprep function accepts.
 * @throws PixelprepError E_IO when the file cannot be read; E_FORMAT when it is empty, truncated,
 *   not an image, or declares more than `limitInputPixels` pixels; E_ARGUMENT for bad options.
 * @example
 * const image = await decodeImage('cat.jpg', { channels: 3, resize: { width: 224, height: 224 } });
 * image.shape; // [224, 224, 3]
 */
export async function decodeImage(source: string | Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  return decodeResolved(source, resolveDecodeOptions(options));
}

/** decodeImage with options already resolved (the batch loader validates them once). */
export async function decodeResolved(source: string | Uint8Array, options: ResolvedDecodeOptions): Promise<DecodedImage> {
  const name = sourceName(source);
  const encoded = await readSource(source, options.maxInputBytes);
  if (encoded.length === 0) throw new PixelprepError('E_FORMAT', `Expected an image in ${name} but it is empty (0 bytes)`);
  const sharp = await loadSharp();
  try {
    // The header alone, without sharp's limit, so the error can say what the file declares.
    const meta = await sharp(encoded, { limitInputPixels: false }).metadata();
    if (!(DECODABLE_FORMATS as readonly string[]).includes(meta.format ?? '')) {
      throw new PixelprepError('E_FORMAT', `Expected a JPEG, PNG, WebP, TIFF, GIF or AVIF image in ${name} but it is ${meta.format ?? 'of an unknown format'}`);
    }
    const declared = (meta.width ?? 0) * (meta.height ?? 0);
    if (declared > options.limitInputPixels) {
      throw new PixelprepError(
        'E_FORMAT',
        `Expected an image of at most ${options.limitInputPixels} pixels (limitInputPixels) in ${name} but it declares ${meta.width}×${meta.height} = ${declared}`,
      );
    }
    const sampleBytes = checkSampleFormat(meta, options, name);
    const out = outputSize(meta, options);
    const { layout, space, wide } = plan(meta);
    if (out.width * out.height > options.limitOutputPixels) {
      throw new PixelprepError('E_FORMAT', `Expected a decoded image of at most ${options.limitOutputPixels} pixels (limitOutputPixels) for ${name} but it would be ${out.width}×${out.height}`);
    }
    if (out.width * out.height * layout.stored * sampleBytes > MAX_DECODED_BYTES) {
      throw new PixelprepError('E_FORMAT', `Expected a decoded image of at most ${MAX_DECODED_BYTES} bytes for ${name} but ${out.width}×${out.height}×${layout.stored} samples of ${sampleBytes} bytes would be more`);
    }
    const image: Sharp = sharp(encoded, { failOn: 'error', limitInputPixels: options.limitInputPixels });
    if (meta.depth === 'float') return await decodeFloat(image, meta, options, layout, name);
    // Keeping the profile means not converting through it: Pillow ignores ICC profiles.
    // CMYK has no raw RGB form, so it alone goes through its profile to sRGB.
    if (meta.space !== 'cmyk') image.keepIccProfile();
    if (options.autoOrient) image.autoOrient();
    if (options.resize) image.resize(sharpResize(options.resize));
    const { data, info } = await image
      .toColourspace(space)
      .raw(wide ? { depth: 'ushort' } : {})
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== layout.stored) {
      throw new PixelprepError('E_FORMAT', `Expected ${layout.stored} channels from the decoder for ${name} but received ${info.channels}`);
    }
    const bytes8 = new Uint8Array(data.buffer, data.byteOffset, data.length);
    const stored = !wide ? bytes8 : options.depth === 'auto' ? toUint16(bytes8) : highBytes(toUint16(bytes8));
    const sources = channelSources(layout, options.channels, options.alpha === 'keep');
    const pixels = isIdentity(sources, layout.stored) ? stored : convertChannels(stored, layout.stored, sources, stored instanceof Uint16Array ? 65535 : 255);
    return { data: pixels, shape: [info.height, info.width, sources.length] };
  } catch (error) {
    throw decodeError(name, error);
  }
}

/** Bytes per sample libvips stores for each sample format read here. */
const SAMPLE_BYTES: Readonly<Record<string, number>> = { uchar: 1, ushort: 2, float: 4 };

/**
 * Bytes per stored sample, for the formats decoded to their real values:
 * 8-bit, 16-bit and (with depth 'auto') float32. Every other format is
 * refused rather than converted, since libvips would remap its values (a
 * float RGB TIFF is read as linear light: 0.5 would become 188).
 * @throws PixelprepError E_FORMAT naming the file and its sample format.
 */
function checkSampleFormat(meta: Metadata, options: ResolvedDecodeOptions, name: string): number {
  const depth = meta.depth ?? 'unknown';
  const bytes = SAMPLE_BYTES[depth];
  if (bytes === undefined) {
    throw new PixelprepError(
      'E_FORMAT',
      `Expected 8-bit, 16-bit or float32 samples in ${name} but it stores '${depth}' samples (signed or 32-bit integers, float64 and complex samples are not read: converting them would change their values)`,
    );
  }
  if (depth === 'float' && options.depth !== 'auto') {
    throw new PixelprepError('E_FORMAT', `Expected 8-bit or 16-bit samples in ${name} with depth 'uint8' but it stores float32 samples; pass depth 'auto' (--depth auto) to read them as float32 values`);
  }
  return bytes;
}

/** Width and height of the decoded output: the resize target, or the first page as stored (turned by EXIF orientation). */
function outputSize(meta: Metadata, options: ResolvedDecodeOptions): { width: number; height: number } {
  if (options.resize) return { width: options.resize.width, height: options.resize.height };
  return { width: meta.width ?? 0, height: meta.pageHeight ?? meta.height ?? 0 };
}

/**
 * A float32 TIFF, decoded to its stored values: no colourspace conversion, no
 * scaling (values outside [0, 1] are kept). Grey or RGB without alpha;
 * channels 'keep', or 3 and 4 from grey (repeated; alpha 1.0 is opaque).
 * @throws PixelprepError E_FORMAT for other layouts or a grey conversion of colour; E_VALUE for NaN or ±Infinity samples.
 */
async function decodeFloat(image: Sharp, meta: Metadata, options: ResolvedDecodeOptions, layout: StoredLayout, name: string): Promise<DecodedImage> {
  const space = meta.space === 'b-w' ? 'b-w' : meta.space === 'scrgb' || meta.space === 'rgb' ? meta.space : null;
  if (space === null || layout.alpha) {
    throw new PixelprepError('E_FORMAT', `Expected a float32 grey or RGB image without alpha in ${name} but it is ${meta.space}${layout.alpha ? ' with alpha' : ''} (not read: its values would be converted)`);
  }
  if (options.autoOrient) image.autoOrient();
  if (options.resize) image.resize(sharpResize(options.resize));
  const { data, info } = await image.toColourspace(space).raw({ depth: 'float' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== layout.stored) {
    throw new PixelprepError('E_FORMAT', `Expected ${layout.stored} channels from the decoder for ${name} but received ${info.channels}`);
  }
  const stored = new Float32Array(new Uint8Array(data.buffer, data.byteOffset, data.length).slice().buffer);
  const bad = stored.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new PixelprepError('E_VALUE', `Expected finite samples in ${name} but received ${stored[bad]} at sample ${bad}`);
  const sources = channelSources(layout, options.channels, options.alpha === 'keep');
  if (sources.includes('luma')) {
    throw new PixelprepError('E_FORMAT', `Expected channels 'keep', 3 or 4 for the float32 colour image ${name} (grey is defined for 8- and 16-bit pixels only) but received ${options.channels}`);
  }
  const pixels = isIdentity(sources, layout.stored) ? stored : copyChannels(stored, layout.stored, sources);
  return { data: pixels, shape: [info.height, info.width, sources.length] };
}

/** Float channels picked by index, 'opaque' as 1.0. */
function copyChannels(data: Float32Array, stored: number, sources: readonly ChannelSource[]): Float32Array {
  const pixels = data.length / stored;
  const out = new Float32Array(pixels * sources.length);
  sources.forEach((source, c) => {
    for (let p = 0; p < pixels; p++) out[p * sources.length + c] = source === 'opaque' ? 1 : data[p * stored + (source as number)];
  });
  return out;
}

/** A Uint16Array over the bytes libvips wrote in native order (copied when misaligned). */
function toUint16(data: Uint8Array): Uint16Array {
  if (data.byteOffset % 2 === 0) return new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
  return new Uint16Array(new Uint8Array(data).buffer);
}
