/**
 * Whitening: a fitted linear map that decorrelates pixel data and gives it unit variance.
 *
 * With the covariance Σ = Vᵀ diag(s) V (rows of V the unit eigenvectors,
 * s the eigenvalues, largest first) and g = 1 / sqrt(s + ε):
 *
 * - 'pca' (colour PCA, as AlexNet): Σ is the C×C covariance of pixel colour
 *   vectors over every pixel of every image. Output channel k is the k-th
 *   principal colour component at unit variance: y = diag(g) V (x - μ).
 * - 'zca' (Keras ImageDataGenerator): Σ is the D×D covariance of flattened
 *   images (D = H·W·C). The whitened image is rotated back into pixel space:
 *   y = Vᵀ diag(g) V (x - μ), with μ the mean image.
 *
 * Both are inverted exactly: x = Vᵀ diag(1/g) y + μ (pca) and
 * x = Vᵀ diag(1/g) V y + μ (zca). The whitened covariance is
 * diag(s / (s + ε)): the identity wherever s ≫ ε.
 */
import { checkFloat32Linear } from '../core/float32_range.js';
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../core/errors.js';
import { assertFinite, inspectInput, readHostPixels, type PixelInput } from '../core/input.js';
import { currentBackend } from '../core/kernel_registry.js';
import { KERNEL_CHOICES, type KernelChoice } from '../kernels/index.js';
import { LAYOUTS, SPATIAL_DIMS, type Geometry, type Layout, type SpatialDims } from '../core/layout.js';
import { describe, fail, isInteger, isNumber, isOneOf, isPlainObject, oneOf } from '../core/validate.js';
import { decodeFloat64, encodeFloat64, encodeMatrix, type EncodedFloat64 } from './float64_list.js';
import { runColorTransform } from '../core/color_transform_op.js';
import { WHITENING_CONVENTIONS, conventionGains, conventionSpreads, type WhiteningConvention } from './whitening_conventions.js';
import { sampleMapHost, sampleMapOps, type PixelMap, type SampleMap } from './whitening_kernels.js';

export const WHITENING_KINDS = ['pca', 'zca'] as const;
export type WhiteningKind = (typeof WHITENING_KINDS)[number];

/** Keras' zca_epsilon default, used for both kinds. */
export const DEFAULT_WHITENING_EPSILON = 1e-6;

/** Everything a Whitening is made of. */
export interface WhiteningParameters {
  kind: WhiteningKind;
  /** Added to every eigenvalue before the inverse square root (in squared input units). */
  epsilon: number;
  layout: Layout;
  spatialDims: SpatialDims;
  /** 'zca': the per-image shape fitted, channel axis included (e.g. [32, 32, 3]); 'pca': null. */
  sampleShape: readonly number[] | null;
  /** Vectors fitted: pixels for 'pca', images for 'zca'. */
  samples: number;
  /** Images fitted. */
  images: number;
  /** Mean vector μ (length D). */
  mean: Float64Array;
  /** Covariance eigenvalues s, largest first (length D). */
  eigenvalues: Float64Array;
  /** Unit eigenvectors as rows of V, row-major D×D. */
  components: Float64Array;
  /** How eigenvalues become gains (whitening_conventions.ts). Default 'pixelprep'. */
  convention?: WhiteningConvention;
}

export const WHITENING_FORMAT = 'pixelprep-whitening';
export const WHITENING_VERSION = 1;

/**
 * The JSON form of a Whitening. Lists of up to 4096 numbers are plain JSON
 * numbers (components as rows); longer ones are base64 little-endian float64.
 */
export interface WhiteningJSON {
  format: typeof WHITENING_FORMAT;
  version: typeof WHITENING_VERSION;
  kind: WhiteningKind;
  epsilon: number;
  layout: Layout;
  spatialDims: SpatialDims;
  sampleShape: number[] | null;
  dimension: number;
  samples: number;
  images: number;
  mean: number[] | EncodedFloat64;
  eigenvalues: number[] | EncodedFloat64;
  components: number[][] | EncodedFloat64;
  /** Absent in files written before conventions existed (read as 'pixelprep'). */
  convention?: WhiteningConvention;
}

export interface WhiteningApplyOptions {
  /**
   * PCA: 'auto' (default) the PixelprepColorTransform kernel of the current backend (float64
   * host loop on cpu and wasm, tfjs ops elsewhere); 'fused' the same, or E_BACKEND on a backend
   * without fused kernels; 'composite' tfjs ops (matMul) on any backend.
   * ZCA: 'auto' the float64 host kernel on the cpu backend, tfjs ops on the others;
   * 'fused' the host kernel on any backend; 'composite' tfjs ops on any backend.
   */
  kernel?: KernelChoice;
}

/** A fitted PCA or ZCA whitening. Create with `fitWhitening`, or read with `Whitening.fromJSON` / `loadWhitening`. */
export class Whitening {
  readonly kind: WhiteningKind;
  readonly epsilon: number;
  readonly layout: Layout;
  readonly spatialDims: SpatialDims;
  readonly sampleShape: readonly number[] | null;
  readonly samples: number;
  readonly images: number;
  readonly mean: Float64Array;
  readonly eigenvalues: Float64Array;
  readonly components: Float64Array;
  readonly convention: WhiteningConvention;

  /** @throws PixelprepError E_STATS (naming the field) when the parameters are inconsistent. */
  constructor(parameters: WhiteningParameters) {
    const p = checkParameters(parameters);
    this.kind = p.kind;
    this.epsilon = p.epsilon;
    this.layout = p.layout;
    this.spatialDims = p.spatialDims;
    this.sampleShape = p.sampleShape ? [...p.sampleShape] : null;
    this.samples = p.samples;
    this.images = p.images;
    this.mean = p.mean.slice();
    this.eigenvalues = p.eigenvalues.slice();
    this.components = p.components.slice();
    this.convention = p.convention ?? 'pixelprep';
    checkFloat32Linear(this.components, this.gains, this.mean, 'the whitening');
  }

  /** D: channels for 'pca', values per image for 'zca'. */
  get dimension(): number {
    return this.mean.length;
  }

  /** g = 1 / sqrt(s + ε), the gain of each component. */
  get gains(): Float64Array {
    return conventionGains(this.convention, this.eigenvalues, this.epsilon, this.samples);
  }

  /** 1 / g (0 where g is 0: the inverse is then the pseudo-inverse). */
  get spreads(): Float64Array {
    return conventionSpreads(this.convention, this.eigenvalues, this.epsilon, this.samples);
  }

  /**
   * Whitens `x` and returns a new float32 tensor of its shape.
   * @throws PixelprepError E_SHAPE when the channel count ('pca') or the image shape ('zca')
   *   differs from the fit, E_VALUE on NaN/Infinity, E_DTYPE on unsupported data.
   */
  apply(x: PixelInput, options: WhiteningApplyOptions = {}): tf.Tensor {
    const gains = this.gains;
    return this.run(x, options, {
      pixel: () => ({ matrix: scaleRows(this.components, gains, this.dimension), before: this.mean, after: new Float64Array(this.dimension) }),
      sample: () => ({ vectors: this.components, gain: gains, before: this.mean, after: new Float64Array(this.dimension) }),
    });
  }

  /**
   * Undoes `apply`: returns the pixel values (float32) whose whitening is `y`.
   * @throws PixelprepError as `apply`.
   */
  invert(y: PixelInput, options: WhiteningApplyOptions = {}): tf.Tensor {
    const spreads = this.spreads;
    return this.run(y, options, {
      pixel: () => ({ matrix: transpose(scaleRows(this.components, spreads, this.dimension), this.dimension), before: new Float64Array(this.dimension), after: this.mean }),
      sample: () => ({ vectors: this.components, gain: spreads, before: new Float64Array(this.dimension), after: this.mean }),
    });
  }

  /**
   * The whitening matrix W (row-major D×D) with y = W (x - μ):
   * diag(g) V for 'pca', Vᵀ diag(g) V for 'zca' (O(D³) to form for 'zca').
   */
  matrix(): Float64Array {
    const D = this.dimension;
    const scaled = scaleRows(this.components, this.gains, D);
    return this.kind === 'pca' ? scaled : multiplyTransposed(this.components, scaled, D);
  }

  /** The inverse of `matrix()`: x = W⁻¹ y + μ. */
  inverseMatrix(): Float64Array {
    const D = this.dimension;
    const scaled = scaleRows(this.components, this.spreads, D);
    return this.kind === 'pca' ? transpose(scaled, D) : multiplyTransposed(this.components, scaled, D);
  }

  /** The JSON form (exact: numbers round-trip bit for bit). */
  toJSON(): WhiteningJSON {
    return {
      format: WHITENING_FORMAT,
      version: WHITENING_VERSION,
      kind: this.kind,
      epsilon: this.epsilon,
      layout: this.layout,
      spatialDims: this.spatialDims,
      sampleShape: this.sampleShape ? [...this.sampleShape] : null,
      dimension: this.dimension,
      samples: this.samples,
      images: this.images,
      mean: encodeFloat64(this.mean),
      eigenvalues: encodeFloat64(this.eigenvalues),
      components: encodeMatrix(this.components, this.dimension),
      ...(this.convention === 'pixelprep' ? {} : { convention: this.convention }),
    };
  }

  /**
   * Reads the JSON form back.
   * @throws PixelprepError E_FORMAT when it is not a version-1 pixelprep-whitening object or a
   *   field is missing or mistyped; E_STATS when a value is impossible (negative eigenvalue,
   *   non-unit component, wrong length). Messages name the field.
   */
  static fromJSON(json: unknown): Whitening {
    if (!isPlainObject(json) || json.format !== WHITENING_FORMAT) {
      throw new PixelprepError('E_FORMAT', `Expected a '${WHITENING_FORMAT}' JSON object (field format) but received ${describe(isPlainObject(json) ? json.format : json)}`);
    }
    if (json.version !== WHITENING_VERSION) {
      throw new PixelprepError('E_FORMAT', `Expected ${WHITENING_FORMAT} version ${WHITENING_VERSION} for version but received ${describe(json.version)}`);
    }
    const structure = (field: string, expected: string): never => fail('E_FORMAT', `${field} in the whitening file`, expected, json[field]);
    if (!isOneOf(json.kind, WHITENING_KINDS)) structure('kind', "'pca' or 'zca'");
    if (!isOneOf(json.layout, LAYOUTS)) structure('layout', "'channels_last' or 'channels_first'");
    if (!isOneOf(json.spatialDims, SPATIAL_DIMS)) structure('spatialDims', '2 or 3');
    if (json.convention !== undefined && !isOneOf(json.convention, WHITENING_CONVENTIONS)) structure('convention', WHITENING_CONVENTIONS.map((c) => `'${c}'`).join(', '));
    for (const field of ['epsilon', 'dimension', 'samples', 'images']) if (typeof json[field] !== 'number') structure(field, 'a number');
    const D = json.dimension as number;
    if (!isInteger(D) || D < 1) fail('E_STATS', 'dimension in the whitening file', 'a positive integer', D);
    const sampleShape = json.sampleShape;
    if (sampleShape !== null && !Array.isArray(sampleShape)) structure('sampleShape', 'null or a list of dimensions');
    return new Whitening({
      kind: json.kind as WhiteningKind,
      epsilon: json.epsilon as number,
      layout: json.layout as Layout,
      spatialDims: json.spatialDims as SpatialDims,
      sampleShape: sampleShape as number[] | null,
      samples: json.samples as number,
      images: json.images as number,
      mean: decodeFloat64(json.mean, D, 'mean'),
      eigenvalues: decodeFloat64(json.eigenvalues, D, 'eigenvalues'),
      components: decodeFloat64(json.components, D * D, 'components', D),
      convention: json.convention as WhiteningConvention | undefined,
    });
  }

  /** Checks `x` against the fit and returns its geometry. */
  private geometryOf(x: PixelInput): Geometry {
    const { geometry } = inspectInput(x, this, 'x');
    if (this.kind === 'pca') {
      if (geometry.channels !== this.dimension) {
        throw new PixelprepError(
          'E_SHAPE',
          `Expected input with ${this.dimension} channels (${this.layout}), as the colour PCA was fitted on, but received shape [${geometry.shape.join(',')}] with ${geometry.channels}`,
        );
      }
      return geometry;
    }
    const shape = sampleShapeOf(geometry);
    const fitted = this.sampleShape ?? [];
    if (shape.length !== fitted.length || shape.some((d, i) => d !== fitted[i])) {
      throw new PixelprepError(
        'E_SHAPE',
        `Expected images of shape [${fitted.join(',')}] (${this.layout}), the shape the ZCA was fitted on, but received [${geometry.shape.join(',')}]`,
      );
    }
    return geometry;
  }

  private run(x: PixelInput, options: WhiteningApplyOptions, maps: { pixel: () => PixelMap; sample: () => SampleMap }): tf.Tensor {
    const choice = oneOf('kernel', options.kernel, KERNEL_CHOICES, 'auto');
    const geometry = this.geometryOf(x);
    // PCA's colour transform is the PixelprepColorTransform kernel of the current backend.
    if (this.kind === 'pca') return runColorTransform(x, geometry, maps.pixel(), choice);
    // ZCA: the float64 host loop where the data lives on the host (cpu) or when asked for; tfjs ops keep device data on the device.
    const D = this.dimension;
    if (choice === 'composite' || (choice === 'auto' && currentBackend() !== 'cpu')) return sampleMapOps(x, geometry, D, maps.sample());
    const host = readHostPixels(x, this, 'x');
    assertFinite(host.data);
    const out = new Float32Array(host.data.length);
    sampleMapHost(host.data, geometry.images, D, maps.sample(), out);
    return tf.tensor(out, geometry.shape as number[], 'float32');
  }
}

/** The per-image shape with its channel axis, e.g. [32, 32, 3]; a [H, W] image counts as [H, W, 1] (or [1, H, W]). */
export function sampleShapeOf(g: Geometry): number[] {
  const single = g.batched ? g.shape.slice(1) : [...g.shape];
  if (g.hasChannelAxis) return single;
  return g.layout === 'channels_last' ? [...single, 1] : [1, ...single];
}

function scaleRows(m: Float64Array, factors: Float64Array, D: number): Float64Array {
  const out = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) out[i * D + j] = factors[i] * m[i * D + j];
  return out;
}

function transpose(m: Float64Array, D: number): Float64Array {
  const out = new Float64Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) out[j * D + i] = m[i * D + j];
  return out;
}

/** aᵀ b for row-major D×D matrices: (aᵀ b)[i][j] = Σ_k a[k][i] b[k][j]. */
function multiplyTransposed(a: Float64Array, b: Float64Array, D: number): Float64Array {
  const out = new Float64Array(D * D);
  for (let k = 0; k < D; k++) {
    for (let i = 0; i < D; i++) {
      const aki = a[k * D + i];
      if (aki === 0) continue;
      const row = i * D;
      const bk = k * D;
      for (let j = 0; j < D; j++) out[row + j] += aki * b[bk + j];
    }
  }
  return out;
}

/** Tolerance on eigenvector norms and orthogonality. */
const ORTHONORMAL = 1e-9;
/** Full orthogonality is checked up to this dimension (O(D³)); beyond it, row norms only. */
const ORTHOGONALITY_CHECK_MAX = 256;

function checkParameters(p: WhiteningParameters): WhiteningParameters {
  const bad = (field: string, expected: string, received: unknown): never => fail('E_STATS', `whitening ${field}`, expected, received);
  const kind = oneOf('kind', p.kind, WHITENING_KINDS);
  const layout = oneOf('layout', p.layout, LAYOUTS);
  const spatialDims = oneOf('spatialDims', p.spatialDims, SPATIAL_DIMS);
  const convention = oneOf('convention', p.convention, WHITENING_CONVENTIONS, 'pixelprep');
  if (convention !== 'pixelprep' && kind !== 'zca') bad('convention', `'pixelprep' for kind '${kind}' (Keras conventions are ZCA only)`, convention);
  if (!isNumber(p.epsilon) || p.epsilon <= 0) bad('epsilon', 'a positive finite number', p.epsilon);
  for (const field of ['mean', 'eigenvalues', 'components'] as const) {
    if (!(p[field] instanceof Float64Array)) bad(field, 'a Float64Array', p[field]);
  }
  const D = p.mean.length;
  if (D < 1) bad('mean', 'at least one value', p.mean);
  if (p.eigenvalues.length !== D) bad('eigenvalues', `${D} values (one per dimension)`, p.eigenvalues);
  if (p.components.length !== D * D) bad('components', `${D}×${D} = ${D * D} values`, p.components);
  if (!isInteger(p.samples) || p.samples < 1) bad('samples', 'a positive integer', p.samples);
  if (!isInteger(p.images) || p.images < 1) bad('images', 'a positive integer', p.images);
  p.mean.forEach((v, i) => isNumber(v) || bad(`mean[${i}]`, 'a finite number', v));
  p.eigenvalues.forEach((v, i) => {
    if (!isNumber(v) || v < 0) bad(`eigenvalues[${i}]`, 'a non-negative finite number', v);
    if (i > 0 && v > p.eigenvalues[i - 1]) bad(`eigenvalues[${i}]`, `eigenvalues sorted largest first (≤ ${p.eigenvalues[i - 1]})`, v);
  });
  p.components.forEach((v, i) => isNumber(v) || bad(`components[${i}]`, 'a finite number', v));
  const dot = (a: number, b: number) => {
    let s = 0;
    for (let j = 0; j < D; j++) s += p.components[a * D + j] * p.components[b * D + j];
    return s;
  };
  for (let a = 0; a < D; a++) {
    const norm = dot(a, a);
    if (!(Math.abs(norm - 1) <= ORTHONORMAL * D)) {
      throw new PixelprepError('E_STATS', `Expected whitening components row ${a} to be a unit vector but its squared norm is ${norm}`);
    }
  }
  if (D <= ORTHOGONALITY_CHECK_MAX) {
    for (let a = 0; a < D; a++) {
      for (let b = a + 1; b < D; b++) {
        const d = dot(a, b);
        if (!(Math.abs(d) <= ORTHONORMAL * D)) {
          throw new PixelprepError('E_STATS', `Expected whitening components rows ${a} and ${b} to be orthogonal but their dot product is ${d}`);
        }
      }
    }
  }
  let sampleShape: number[] | null = null;
  if (kind === 'pca') {
    if (p.sampleShape !== null) bad('sampleShape', "null for kind 'pca'", p.sampleShape);
  } else {
    const shape = p.sampleShape;
    const rankOk = Array.isArray(shape) && shape.length === spatialDims + 1 && shape.every((d) => isInteger(d) && d >= 1);
    if (!rankOk) bad('sampleShape', `a per-image shape of rank ${spatialDims + 1} (channel axis included)`, shape);
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (size !== D) bad('sampleShape', `a shape of ${D} values (the dimension)`, shape);
    sampleShape = [...(shape as number[])];
  }
  return { ...p, kind, layout, spatialDims, sampleShape, convention };
}
