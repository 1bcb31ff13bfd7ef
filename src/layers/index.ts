/**
 * pixelprep/layers: tfjs integration. Needs the optional peers
 * @tensorflow/tfjs-layers (PixelScaling) and @tensorflow/tfjs-data (datasets).
 *
 * The layer class extends tfjs-layers' Layer, so tfjs-layers must load before
 * it is defined. It is imported dynamically after a check, so a missing peer
 * is a PixelprepError naming the package to install rather than Node's bare
 * ERR_MODULE_NOT_FOUND (a static import would fail before any code here runs).
 */
// The cpu backend and pixelprep's kernels, as the root entry has them.
import '../backends/select.js';
import { PixelprepError } from '../core/errors.js';

const LAYERS_PACKAGE = '@tensorflow/tfjs-layers';

try {
  await import(LAYERS_PACKAGE);
} catch (error) {
  const code = (error as { code?: unknown } | null)?.code;
  const missing = code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(LAYERS_PACKAGE);
  const reason = missing ? 'it is not installed' : `it failed to load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  throw new PixelprepError('E_BACKEND', `Expected the optional peer ${LAYERS_PACKAGE} for pixelprep/layers (npm install ${LAYERS_PACKAGE}) but ${reason}`, { cause: error });
}

const layer = await import('./pixel_scaling_layer.js');

/** The tfjs-layers layer that applies a plan or preset (see {@link PixelScalingArgs}). */
export const PixelScaling = layer.PixelScaling;
/** An instance of {@link PixelScaling}. */
export type PixelScaling = InstanceType<typeof PixelScaling>;
export type { LayerArgs, PixelScalingArgs } from './pixel_scaling_layer.js';
export { scaleDataset, type ScaleDatasetOptions } from './dataset_map.js';
