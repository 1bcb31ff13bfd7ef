/** Whitening: colour PCA and ZCA, fitted on a stream, applied and inverted on any backend. */
export { fitWhitening, whiteningFromCovariance, type WhiteningFitOptions } from './fit_whitening.js';
export {
  DEFAULT_WHITENING_EPSILON,
  WHITENING_FORMAT,
  WHITENING_KINDS,
  WHITENING_VERSION,
  Whitening,
  type WhiteningApplyOptions,
  type WhiteningJSON,
  type WhiteningKind,
  type WhiteningParameters,
} from './whitening.js';
export { CovarianceAccumulator } from './covariance_accumulator.js';
export { loadWhitening, saveWhitening } from './whitening_file.js';
export type { EncodedFloat64 } from './float64_list.js';
