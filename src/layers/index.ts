/**
 * pixelprep/layers: tfjs integration. Needs the optional peers
 * @tensorflow/tfjs-layers (PixelScaling) and @tensorflow/tfjs-data (datasets).
 */
import '../kernels/register_all_kernels.js';

export { PixelScaling, type LayerArgs, type PixelScalingArgs } from './pixel_scaling_layer.js';
export { scaleDataset, type ScaleDatasetOptions } from './dataset_map.js';
