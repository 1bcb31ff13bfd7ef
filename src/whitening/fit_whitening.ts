/**
 * fitWhitening: PCA (colour) or ZCA (flattened image) whitening fitted over a
 * stream of images with a float64 streaming covariance.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../core/errors.js';
import { assertFinite, readHostPixels } from '../core/input.js';
import { LAYOUTS, SPATIAL_DIMS, type GeometryOptions, type Layout, type SpatialDims } from '../core/layout.js';
import { EventLoopYielder } from '../dataset/yield_to_event_loop.js';
import { isDatasetLike, openSource, optionalCallback, optionalSignal, raceAbort, throwIfAborted, type FitProgress, type PixelSource } from '../dataset/pixel_source.js';
import { fail, isInteger, isPlainObject, knownKeys, oneOf, positiveNumber } from '../core/validate.js';
import { CovarianceAccumulator } from './covariance_accumulator.js';
import { symmetricEigen } from './symmetric_eigen.js';
import { WHITENING_CONVENTIONS, centresPerChannel, type WhiteningConvention } from './whitening_conventions.js';
import { DEFAULT_WHITENING_EPSILON, WHITENING_KINDS, Whitening, sampleShapeOf, type WhiteningKind } from './whitening.js';

export interface WhiteningFitOptions extends GeometryOptions {
  /** 'pca': C×C colour covariance over every pixel; 'zca': D×D covariance of flattened images. Required. */
  kind: WhiteningKind;
  /** Added to each covariance eigenvalue before 1/sqrt (squared input units). Default 1e-6 (Keras' zca_epsilon). */
  epsilon?: number;
  /**
   * 'pixelprep' (default): centred by the mean image, gain 1/sqrt(s + ε).
   * 'keras': Keras ≥ 2.9 ImageDataGenerator (per-channel centring, thin SVD of the data, √n/(σ + ε)).
   * 'keras-preprocessing': keras-preprocessing 1.1.2 (per-channel centring, 1/sqrt(s + ε) of XᵀX/n).
   * The Keras conventions are for kind 'zca' (see whitening_conventions.ts).
   */
  convention?: WhiteningConvention;
  /**
   * Largest D = H·W·C accepted for 'zca'. Default 4096: the D×D covariance takes
   * 8·D² bytes (128 MB at 4096) and its eigendecomposition O(D³) time.
   */
  maxDimension?: number;
  /** Called after each input with the running totals. */
  onProgress?: (progress: FitProgress) => void;
  /** Stops the fit between inputs; the promise rejects with E_ABORTED. */
  signal?: AbortSignal;
  /** Dispose each tensor the source yields once counted. Default: true for a tf.data Dataset, else false. */
  disposeInputs?: boolean;
}

const KEYS = ['kind', 'epsilon', 'convention', 'maxDimension', 'layout', 'spatialDims', 'onProgress', 'signal', 'disposeInputs'] as const;
const DEFAULT_MAX_DIMENSION = 4096;

/**
 * Fits a whitening over every image of `source` (see `Whitening` for the formulas).
 *
 * 'pca' accepts images of any size (only the channel count must agree) and
 * holds a C×C matrix. 'zca' needs every image of one shape and holds the D×D
 * covariance; D = 3072 (32×32×3) takes 75 MB and an eigendecomposition of a
 * few minutes in JavaScript. For a full-rank ZCA fit more images than D.
 *
 * @example
 * const pca = await fitWhitening(images(), { kind: 'pca' });
 * const y = pca.apply(batch);         // decorrelated colour components, unit variance
 * const zca = await fitWhitening(cifarBatches(), { kind: 'zca', epsilon: 1e-2 });
 * @throws PixelprepError E_SHAPE when channel counts ('pca') or image shapes ('zca') differ,
 *   or D exceeds maxDimension; E_STATS with fewer than 2 vectors; E_VALUE on NaN/Infinity;
 *   E_ABORTED when the signal fires; E_ARGUMENT on bad options.
 */
export async function fitWhitening(source: PixelSource, options: WhiteningFitOptions): Promise<Whitening> {
  if (!isPlainObject(options)) fail('E_ARGUMENT', 'options', "an options object with kind 'pca' or 'zca'", options);
  knownKeys('options', options, KEYS);
  const kind = oneOf('kind', options.kind, WHITENING_KINDS);
  const epsilon = positiveNumber('epsilon', options.epsilon, DEFAULT_WHITENING_EPSILON);
  const convention = oneOf('convention', options.convention, WHITENING_CONVENTIONS, 'pixelprep');
  if (convention !== 'pixelprep' && kind !== 'zca') fail('E_ARGUMENT', 'convention', `'pixelprep' with kind '${kind}' (the Keras conventions are ZCA whitening)`, convention);
  const layout = oneOf('layout', options.layout, LAYOUTS, 'channels_last');
  const spatialDims = oneOf('spatialDims', options.spatialDims, SPATIAL_DIMS, 2);
  const maxDimension = options.maxDimension ?? DEFAULT_MAX_DIMENSION;
  if (!isInteger(maxDimension) || maxDimension < 1) fail('E_ARGUMENT', 'maxDimension', 'a positive integer', maxDimension);
  const onProgress = optionalCallback<(p: FitProgress) => void>(options.onProgress, 'onProgress');
  const signal = optionalSignal(options.signal);
  if (options.disposeInputs !== undefined && typeof options.disposeInputs !== 'boolean') fail('E_ARGUMENT', 'disposeInputs', 'a boolean', options.disposeInputs);
  const dispose = options.disposeInputs ?? isDatasetLike(source);

  const geometryOptions = { layout, spatialDims };
  let accumulator: CovarianceAccumulator | null = null;
  let sampleShape: number[] | null = null;
  let inputs = 0;
  let images = 0;
  let values = 0;
  throwIfAborted(signal, 'fitWhitening');
  const iterator = await openSource(source);
  let finished = false;
  try {
    for (const yielder = new EventLoopYielder(); ; ) {
      await yielder.maybeYield();
      const next = await raceAbort(iterator.next(), signal, `fitWhitening after ${inputs} inputs`);
      if (next.done) {
        finished = true;
        break;
      }
      const x = next.value;
      const label = `input ${inputs}`;
      try {
        throwIfAborted(signal, `fitWhitening after ${inputs} inputs`);
        const { data, geometry } = readHostPixels(x, geometryOptions, label);
        assertFinite(data, label);
        const { channels: C, pixels: P, images: N } = geometry;
        if (kind === 'pca') {
          if (accumulator && accumulator.dimension !== C) {
            throw new PixelprepError('E_SHAPE', `Expected ${label} to have ${accumulator.dimension} channels like the inputs before it but received shape [${geometry.shape.join(',')}] with ${C} (${layout})`);
          }
          accumulator ??= new CovarianceAccumulator(C);
          const planar = layout === 'channels_first' && C > 1;
          for (let n = 0; n < N; n++) accumulator.addRows(data, n * C * P, P, planar ? 1 : C, planar ? P : 1);
        } else {
          const shape = sampleShapeOf(geometry);
          if (sampleShape && (shape.length !== sampleShape.length || shape.some((d, i) => d !== sampleShape?.[i]))) {
            throw new PixelprepError('E_SHAPE', `Expected ${label} to hold images of shape [${sampleShape.join(',')}] like the inputs before it but received [${geometry.shape.join(',')}]`);
          }
          const D = C * P;
          if (D > maxDimension) {
            throw new PixelprepError(
              'E_SHAPE',
              `Expected images of at most maxDimension = ${maxDimension} values for 'zca' but received [${shape.join(',')}] = ${D}: the D×D covariance would take ${((8 * D * D) / 2 ** 20).toFixed(0)} MB and an O(D³) decomposition; downscale or crop to small patches, use 'pca', or raise maxDimension`,
            );
          }
          sampleShape ??= shape;
          accumulator ??= new CovarianceAccumulator(D);
          accumulator.addRows(data, 0, N, D, 1);
        }
        inputs++;
        images += N;
        values += data.length;
      } finally {
        if (dispose && x instanceof tf.Tensor && !x.isDisposed) x.dispose();
      }
      onProgress?.({ inputs, images, values });
    }
  } finally {
    if (!finished) void Promise.resolve().then(() => iterator.return?.()).catch(() => undefined);
  }
  if (!accumulator) throw new PixelprepError('E_STATS', 'Expected at least one image to fit a whitening on but received none');
  return whiteningFromCovariance(accumulator, { kind, epsilon, convention, layout, spatialDims, sampleShape, images });
}

/**
 * Builds a Whitening from an accumulated covariance (e.g. accumulators of
 * several workers merged with `CovarianceAccumulator.merge`).
 * @throws PixelprepError E_STATS with fewer than 2 vectors.
 */
export function whiteningFromCovariance(
  accumulator: CovarianceAccumulator,
  options: { kind: WhiteningKind; epsilon?: number; convention?: WhiteningConvention; layout?: Layout; spatialDims?: SpatialDims; sampleShape: number[] | null; images: number },
): Whitening {
  if (accumulator.samples < 2) {
    throw new PixelprepError('E_STATS', `Expected at least 2 ${options.kind === 'pca' ? 'pixels' : 'images'} to fit a covariance on but received ${accumulator.samples}`);
  }
  const convention = options.convention ?? 'pixelprep';
  const layout = options.layout ?? 'channels_last';
  let mean = accumulator.mean();
  let matrix = accumulator.covariance();
  if (centresPerChannel(convention)) {
    if (options.kind !== 'zca' || !options.sampleShape) fail('E_ARGUMENT', 'convention', "kind 'zca' with a sample shape", convention);
    ({ mean, matrix } = aboutChannelMeans(mean, matrix, options.sampleShape, layout));
  }
  const eigen = symmetricEigen(matrix, accumulator.dimension);
  return new Whitening({
    convention,
    kind: options.kind,
    epsilon: options.epsilon ?? DEFAULT_WHITENING_EPSILON,
    layout,
    spatialDims: options.spatialDims ?? 2,
    sampleShape: options.sampleShape,
    samples: accumulator.samples,
    images: options.images,
    mean,
    eigenvalues: eigen.values,
    components: eigen.vectors,
  });
}

/**
 * Moves the second moment from the mean image μ to the per-channel means m
 * (Keras' featurewise_center): XᵀX/n about m = Σ + δδᵀ with δ = μ - m, the
 * same matrix Keras forms from the centred data, without a second pass.
 */
function aboutChannelMeans(imageMean: Float64Array, covariance: Float64Array, sampleShape: readonly number[], layout: Layout): { mean: Float64Array; matrix: Float64Array } {
  const D = imageMean.length;
  const C = layout === 'channels_last' ? sampleShape[sampleShape.length - 1] : sampleShape[0];
  const P = D / C;
  const channelOf = (d: number) => (layout === 'channels_last' ? d % C : Math.floor(d / P));
  const sums = new Float64Array(C);
  for (let d = 0; d < D; d++) sums[channelOf(d)] += imageMean[d];
  const mean = Float64Array.from({ length: D }, (_, d) => sums[channelOf(d)] / P);
  const delta = imageMean.map((v, d) => v - mean[d]);
  const matrix = covariance.slice();
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) matrix[i * D + j] += delta[i] * delta[j];
  return { mean, matrix };
}
