/**
 * Option parsing shared by the commands. Values are checked by the library's
 * validators, so a bad value is a PixelprepError E_ARGUMENT (exit code 2)
 * whose message names the option.
 */
import { Option, type Command } from 'commander';
import { PixelprepError } from '../core/errors.js';
import { DECODE_CHANNELS, DECODE_DEPTHS, type DecodeOptions } from '../node/decode_image.js';
import { parseSize, RESIZE_FITS, RESIZE_KERNELS, type ResizeFit, type ResizeKernel } from '../node/resize.js';
import { oneOf } from '../core/validate.js';

/** The options every command has (set on the program, accepted anywhere on the line). */
export interface GlobalOptions {
  json?: boolean;
  verbose?: boolean;
  progress?: boolean;
}

/** Decoding options as commander collects them. */
export interface DecodeFlags {
  resize?: string;
  fit?: string;
  kernel?: string;
  channels?: string;
  depth?: string;
  orient?: boolean;
  limitPixels?: string;
  recursive?: boolean;
  skipErrors?: boolean;
}

/** Adds the image decoding options to `command`. */
export function addDecodeOptions(command: Command): Command {
  return command
    .option('--resize <WxH>', 'resize every image to WIDTHxHEIGHT (e.g. 224x224), centre-cropping by default')
    .addOption(new Option('--fit <fit>', 'how --resize keeps the aspect ratio').choices([...RESIZE_FITS]))
    .addOption(new Option('--kernel <kernel>', 'interpolation kernel for --resize').choices([...RESIZE_KERNELS]))
    .addOption(new Option('--channels <channels>', "output channels: 1, 3 (default: grey is expanded to RGB, as Keras load_img does), 4, or 'keep' (grey stays 1, colour 3)").choices(DECODE_CHANNELS.map(String)))
    .addOption(new Option('--depth <depth>', "'uint8', or 'auto' to keep 16-bit PNG/TIFF at 16 bits").choices([...DECODE_DEPTHS]))
    .option('--no-orient', 'ignore the EXIF orientation tag (as tf.io.decode_image does)')
    .option('--limit-pixels <n>', 'reject images declaring more pixels than this (default 268402689)')
    .option('--no-recursive', 'do not descend into subdirectories')
    .option('--skip-errors', 'leave out files that cannot be read, list them at the end and exit 1 (default: the first such file stops the command)');
}

/** The text that ends a command's --help: one or more example command lines. */
export const examples = (...lines: string[]): string => `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

/** Appends an example (or several) to a command's --help. */
export function addExample(command: Command, ...lines: string[]): Command {
  return command.addHelpText('after', examples(...lines));
}

/** The channel count a command reads images with unless --channels says otherwise: RGB, as Keras load_img. */
export const DEFAULT_CHANNELS = 3;

/** Turns the flags into decodeImage options (validated again there). */
export function decodeOptionsFrom(flags: DecodeFlags, defaults: { channels?: DecodeOptions['channels']; resize?: { width: number; height: number } } = {}): DecodeOptions {
  const options: DecodeOptions = {};
  const size = flags.resize === undefined ? defaults.resize : parseSize(flags.resize, '--resize');
  if (size) options.resize = { ...size, fit: flags.fit as ResizeFit | undefined, kernel: flags.kernel as ResizeKernel | undefined };
  else if (flags.fit !== undefined || flags.kernel !== undefined) throw new PixelprepError('E_ARGUMENT', 'Expected --resize WxH with --fit or --kernel but received no --resize');
  if (flags.channels !== undefined) options.channels = flags.channels === 'keep' ? 'keep' : oneOf('--channels', Number(flags.channels), [1, 3, 4] as const);
  else options.channels = defaults.channels ?? DEFAULT_CHANNELS;
  if (flags.depth !== undefined) options.depth = oneOf('--depth', flags.depth, DECODE_DEPTHS);
  if (flags.orient === false) options.autoOrient = false;
  if (flags.limitPixels !== undefined) options.limitInputPixels = positiveInteger('--limit-pixels', flags.limitPixels);
  return options;
}

/** Parses a positive integer option. */
export function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new PixelprepError('E_ARGUMENT', `Expected a positive integer for ${name} but received '${text}'`);
  }
  return value;
}

/** Parses "a,b,c" (or one number) into finite numbers. */
export function numberList(name: string, text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  if (parts.some((p) => p.length === 0) || !values.every(Number.isFinite)) {
    throw new PixelprepError('E_ARGUMENT', `Expected a number or comma-separated numbers for ${name} but received '${text}'`);
  }
  return values;
}

/** Parses "low,high" with low < high. */
export function numberPair(name: string, text: string): [number, number] {
  const values = numberList(name, text);
  if (values.length !== 2 || !(values[0] < values[1])) throw new PixelprepError('E_ARGUMENT', `Expected low,high with low < high for ${name} but received '${text}'`);
  return [values[0], values[1]];
}

/** The resize as a stats file records it. */
export const resizeRecord = (options: DecodeOptions): { [key: string]: string | number } | undefined =>
  options.resize ? { width: options.resize.width, height: options.resize.height, fit: options.resize.fit ?? 'center-crop', kernel: options.resize.kernel ?? 'lanczos3' } : undefined;
