/**
 * sharp (libvips) is loaded on first use, so `import 'pixelprep/node'` stays light
 * for code that never touches image files.
 */
import type sharpFunction from 'sharp';
import { PixelprepError } from '../core/errors.js';

/** The sharp factory function, as `import sharp from 'sharp'` gives it. */
export type SharpModule = typeof sharpFunction;

let loading: Promise<SharpModule> | null = null;

/**
 * Imports sharp once and returns it.
 * @throws PixelprepError E_BACKEND when sharp is not installed or its native library fails to load.
 */
export function loadSharp(): Promise<SharpModule> {
  loading ??= import('sharp').then(
    (module) => module.default,
    (error: unknown) => {
      loading = null;
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new PixelprepError('E_BACKEND', `Expected the sharp package (image decoding) to load but it did not: ${reason}`, { cause: error });
    },
  );
  return loading;
}
