/**
 * Resizing to a model's input size, done by sharp (libvips) during decoding.
 *
 * 'center-crop' scales the image so its shorter side fits and crops the
 * centre: the usual ImageNet evaluation transform (resize then centre crop)
 * for a square target. 'stretch' scales each axis independently.
 */
import type { ResizeOptions as SharpResizeOptions } from 'sharp';
import { PixelprepError } from '../core/errors.js';
import { fail, isInteger, isPlainObject, knownKeys, oneOf } from '../core/validate.js';

/** Values of ResizeOptions.fit. */
export const RESIZE_FITS = ['center-crop', 'stretch'] as const;
export type ResizeFit = (typeof RESIZE_FITS)[number];

/** Interpolation kernels (sharp's names). 'lanczos3' is sharp's default and the sharpest. */
export const RESIZE_KERNELS = ['nearest', 'linear', 'cubic', 'mitchell', 'lanczos2', 'lanczos3'] as const;
export type ResizeKernel = (typeof RESIZE_KERNELS)[number];

export interface ResizeOptions {
  /** Output width in pixels. */
  width: number;
  /** Output height in pixels. */
  height: number;
  /** 'center-crop' (default): cover the target then crop the centre; 'stretch': ignore the aspect ratio. */
  fit?: ResizeFit;
  /** Interpolation kernel. Default 'lanczos3'. */
  kernel?: ResizeKernel;
}

/** Largest output side accepted (libvips' own limit). */
const MAX_SIDE = 0x3fff * 4;

/**
 * Validates resize options and fills in the defaults.
 * @throws PixelprepError E_ARGUMENT naming the bad field.
 */
export function resolveResize(value: unknown, name = 'resize'): Required<ResizeOptions> {
  if (!isPlainObject(value)) fail('E_ARGUMENT', name, 'an object { width, height, fit?, kernel? }', value);
  knownKeys(name, value, ['width', 'height', 'fit', 'kernel']);
  for (const side of ['width', 'height'] as const) {
    const v = value[side];
    if (!isInteger(v) || v < 1 || v > MAX_SIDE) fail('E_ARGUMENT', `${name}.${side}`, `an integer from 1 to ${MAX_SIDE}`, v);
  }
  return {
    width: value.width as number,
    height: value.height as number,
    fit: oneOf(`${name}.fit`, value.fit, RESIZE_FITS, 'center-crop'),
    kernel: oneOf(`${name}.kernel`, value.kernel, RESIZE_KERNELS, 'lanczos3'),
  };
}

/**
 * Parses a size written as "WIDTHxHEIGHT" (e.g. "224x224") or a single number for a square.
 * @throws PixelprepError E_ARGUMENT when the text is not such a size.
 */
export function parseSize(text: string, name = 'size'): { width: number; height: number } {
  const match = /^\s*(\d+)\s*(?:[xX×]\s*(\d+))?\s*$/.exec(text);
  if (!match) throw new PixelprepError('E_ARGUMENT', `Expected WIDTHxHEIGHT (e.g. 224x224) or one number for ${name} but received '${text}'`);
  const width = Number(match[1]);
  const height = Number(match[2] ?? match[1]);
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    throw new PixelprepError('E_ARGUMENT', `Expected sides from 1 to ${MAX_SIDE} for ${name} but received '${text}'`);
  }
  return { width, height };
}

/** The sharp resize call for resolved options; shrink-on-load stays exact (no fast JPEG/WebP downscale). */
export function sharpResize(options: Required<ResizeOptions>): SharpResizeOptions {
  return {
    width: options.width,
    height: options.height,
    fit: options.fit === 'stretch' ? 'fill' : 'cover',
    position: 'centre',
    kernel: options.kernel,
    fastShrinkOnLoad: false,
  };
}
