/**
 * Named conventions: how each Python framework guards a division by a small
 * std (or max - min), as data. A convention sets the zero-variance policy, its
 * epsilon and (albumentations only) an output clip together, so a model served
 * with pixelprep divides by exactly what it was trained with.
 *
 * | convention     | divisor                  | ε          | clip      | source |
 * |----------------|--------------------------|------------|-----------|--------|
 * | keras          | max(std, ε)              | 1e-7       |           | keras `layers.Normalization`: `(x - mean) / maximum(sqrt(variance), backend.epsilon())` |
 * | keras-idg      | std + ε                  | 1e-6       |           | keras `ImageDataGenerator.standardize`: `x /= std + 1e-6` (samplewise and featurewise) |
 * | albumentations | std + ε, (max-min) + ε   | 1e-4       | [-20, 20] | albumentations `normalize_per_image`: `eps = 1e-4`, `np.clip(..., -20, 20)` |
 * | torchvision    | std; throws where std = 0 | 2⁻¹⁴⁹     |           | torchvision `F.normalize`: `ValueError("std evaluated to zero ...")` after conversion to float32 |
 * | sklearn        | std; 1 where std = 0     | 10·2⁻⁵²    |           | scikit-learn `_handle_zeros_in_scale`: `scale[scale < 10 * finfo.eps] = 1.0` |
 *
 * torchvision's ε is the smallest float32 subnormal: a std that rounds to 0 in
 * float32 is refused, any other is divided by as is. scikit-learn's
 * StandardScaler also treats a feature as constant when var ≤ n·eps·var + (n·mean·eps)²
 * (`_is_constant_feature`); pixelprep's float64 statistics give std exactly 0 on
 * constant data, which the ε test catches.
 */
import type { ZeroVariancePolicy } from './methods.js';

export const CONVENTIONS = ['keras', 'keras-idg', 'albumentations', 'torchvision', 'sklearn'] as const;
/** A framework whose zero-variance handling a scaler can reproduce. */
export type Convention = (typeof CONVENTIONS)[number];

/** What a convention sets. */
export interface ConventionSettings {
  readonly zeroVariance: ZeroVariancePolicy;
  readonly epsilon: number;
  /** Clip of standardize and min-max outputs, or null. */
  readonly outputClip: readonly [number, number] | null;
  /** Where the constants come from, for docs and error messages. */
  readonly source: string;
}

/** float64 machine epsilon, 2⁻⁵² (numpy `finfo(float64).eps`). */
const FLOAT64_EPS = 2 ** -52;
/** The smallest positive float32 (a subnormal), 2⁻¹⁴⁹. */
const FLOAT32_MIN_SUBNORMAL = 2 ** -149;

/** Each convention's settings. */
export const CONVENTION_SETTINGS: Readonly<Record<Convention, ConventionSettings>> = Object.freeze({
  keras: { zeroVariance: 'clamp', epsilon: 1e-7, outputClip: null, source: 'keras.layers.Normalization: maximum(sqrt(variance), backend.epsilon() = 1e-7)' },
  'keras-idg': { zeroVariance: 'add', epsilon: 1e-6, outputClip: null, source: 'keras ImageDataGenerator.standardize: x /= std + 1e-6' },
  albumentations: { zeroVariance: 'add', epsilon: 1e-4, outputClip: [-20, 20], source: "albumentations normalize_per_image ('image', 'image_per_channel', 'min_max*'): eps = 1e-4, clip [-20, 20]" },
  torchvision: { zeroVariance: 'error', epsilon: FLOAT32_MIN_SUBNORMAL, outputClip: null, source: 'torchvision F.normalize: ValueError when std evaluates to zero in float32' },
  sklearn: { zeroVariance: 'one', epsilon: 10 * FLOAT64_EPS, outputClip: null, source: 'scikit-learn _handle_zeros_in_scale: scale < 10 * finfo(float64).eps becomes 1' },
});
