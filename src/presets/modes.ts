/**
 * The preprocessing modes of Keras' `imagenet_utils.preprocess_input`, as data.
 *
 * Every mode is one formula with different constants:
 *
 *     y[c] = (x[order[c]] * rescale - mean[c]) / std[c]
 *
 * | mode  | order      | rescale | mean                         | std                   |
 * |-------|------------|---------|------------------------------|-----------------------|
 * | caffe | [2, 1, 0]  | 1       | 103.939, 116.779, 123.68     | 1                     |
 * | tf    | unchanged  | 1/127.5 | 1                            | 1                     |
 * | torch | unchanged  | 1/255   | 0.485, 0.456, 0.406          | 0.229, 0.224, 0.225   |
 * | none  | unchanged  | 1       | 0                            | 1                     |
 *
 * 'caffe' turns RGB into BGR and subtracts the ImageNet means in BGR order;
 * 'none' is for models that rescale inside themselves and take 0..255 floats.
 */

export const PRESET_MODES = ['caffe', 'tf', 'torch', 'none'] as const;
/** A Keras preprocessing mode, or 'none' for models with built-in rescaling. */
export type PresetMode = (typeof PRESET_MODES)[number];

/** The constants of one mode in `y[c] = (x[order[c]] * rescale - mean[c]) / std[c]`. */
export interface ModeFormula {
  /** Output channel c reads input channel `channelOrder[c]`; null keeps the order. */
  readonly channelOrder: readonly number[] | null;
  /** Multiplier applied to the pixel value first. */
  readonly rescale: number;
  /** Subtracted after the rescale, per output channel (one entry: the same for every channel). */
  readonly mean: readonly number[];
  /** Divided by last, per output channel (one entry: the same for every channel). */
  readonly std: readonly number[];
}

/** The constants of each mode, as Keras' `_preprocess_numpy_input` uses them. */
export const MODE_FORMULAS: Readonly<Record<PresetMode, ModeFormula>> = {
  caffe: { channelOrder: [2, 1, 0], rescale: 1, mean: [103.939, 116.779, 123.68], std: [1] },
  tf: { channelOrder: null, rescale: 1 / 127.5, mean: [1], std: [1] },
  torch: { channelOrder: null, rescale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  none: { channelOrder: null, rescale: 1, mean: [0], std: [1] },
};

/**
 * The number of channels a mode needs: 3 for modes with per-channel constants
 * or a channel reorder (caffe, torch), null for modes that treat every channel alike.
 */
export function modeChannels(mode: PresetMode): number | null {
  const f = MODE_FORMULAS[mode];
  const counts = [f.mean.length, f.std.length, f.channelOrder?.length ?? 1].filter((n) => n > 1);
  return counts.length > 0 ? Math.max(...counts) : null;
}

/**
 * The mode as affine coefficients per output channel: scale = rescale / std,
 * offset = -mean / std (float64; the kernels round once, on output).
 */
export function modeCoefficients(mode: PresetMode): { scale: number[]; offset: number[]; channelOrder: number[] | null } {
  const f = MODE_FORMULAS[mode];
  const channels = modeChannels(mode) ?? 1;
  const at = (list: readonly number[], c: number) => list[list.length === 1 ? 0 : c];
  const scale = Array.from({ length: channels }, (_, c) => f.rescale / at(f.std, c));
  // 0 - m keeps +0 (not -0) for a zero mean, so the plan's JSON and comparisons stay clean.
  const offset = Array.from({ length: channels }, (_, c) => 0 - at(f.mean, c) / at(f.std, c));
  return { scale, offset, channelOrder: f.channelOrder ? [...f.channelOrder] : null };
}
