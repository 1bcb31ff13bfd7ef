/**
 * Each named convention against that framework's own formula, written here
 * independently in float64 (not read from src/), on uint8, [0, 255] float and
 * [0, 1] float images with a constant channel; plus the literal examples the
 * frameworks publish in their own docstrings.
 */
import { describe, expect, it } from 'vitest';
import { CONVENTIONS, CONVENTION_SETTINGS, computeStats, createScaler, isPixelprepError, type Convention } from '../../src/index.js';

const H = 6;
const W = 5;
const C = 3;

/** Deterministic pixels with channel 2 constant (zero variance). */
function image(kind: 'uint8' | 'float255' | 'float01'): { data: Uint8Array | Float32Array; values: Float64Array } {
  const bytes = new Uint8Array(H * W * C);
  let s = 12345;
  for (let i = 0; i < bytes.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    bytes[i] = i % C === 2 ? 77 : (s >> 8) % 256;
  }
  if (kind === 'uint8') return { data: bytes, values: Float64Array.from(bytes) };
  const f = Float32Array.from(bytes, (v, i) => (kind === 'float01' ? v / 255 : v + (i % 3) * 0.25));
  return { data: f, values: Float64Array.from(f) };
}

/** Per-channel population mean/std/min/max, two-pass float64. */
function channelStats(values: Float64Array): { mean: number; std: number; min: number; max: number }[] {
  return Array.from({ length: C }, (_, c) => {
    const xs: number[] = [];
    for (let i = c; i < values.length; i += C) xs.push(values[i]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, v) => a + (v - mean) ** 2, 0) / xs.length;
    return { mean, std: Math.sqrt(variance), min: Math.min(...xs), max: Math.max(...xs) };
  });
}

/** Each framework's standardize, transcribed from its source (see docs/conventions.md). */
const STANDARDIZE: Record<Convention, (x: number, mean: number, std: number) => number> = {
  // keras.layers.Normalization: (x - mean) / maximum(sqrt(variance), 1e-7)
  keras: (x, mean, std) => (x - mean) / Math.max(std, 1e-7),
  // ImageDataGenerator.standardize: x /= std + 1e-6
  'keras-idg': (x, mean, std) => (x - mean) / (std + 1e-6),
  // albumentations normalize_per_image('image_per_channel'): (x - mean) / (std + 1e-4), clipped to [-20, 20]
  albumentations: (x, mean, std) => Math.min(20, Math.max(-20, (x - mean) / (std + 1e-4))),
  // torchvision F.normalize: (x - mean) / std, raises on std == 0
  torchvision: (x, mean, std) => {
    if (Math.fround(std) === 0) throw new Error('std evaluated to zero');
    return (x - mean) / std;
  },
  // sklearn StandardScaler: scale_ = _handle_zeros_in_scale(sqrt(var)): 0 -> 1
  sklearn: (x, mean, std) => (x - mean) / (std < 10 * 2 ** -52 ? 1 : std),
};

const maxRelativeError = (got: Float32Array, want: number[]) =>
  Math.max(...want.map((w, i) => Math.abs(got[i] - w) / Math.max(1, Math.abs(w))));

describe('conventions: standardize per channel, per image, against each framework formula', () => {
  for (const convention of CONVENTIONS) {
    for (const kind of ['uint8', 'float255', 'float01'] as const) {
      it(`${convention} on ${kind} pixels with a constant channel`, () => {
        const { data, values } = image(kind);
        const scaler = createScaler({ method: 'standardize', convention });
        const stats = channelStats(values);
        const want: number[] = [];
        let throws = false;
        try {
          for (let i = 0; i < values.length; i++) want.push(STANDARDIZE[convention](values[i], stats[i % C].mean, stats[i % C].std));
        } catch {
          throws = true;
        }
        const run = () => scaler.applyInto({ data, shape: [1, H, W, C] }, new Float32Array(values.length));
        if (throws) {
          expect(convention).toBe('torchvision');
          expect(run).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
          return;
        }
        expect(maxRelativeError(run(), want)).toBeLessThan(1e-6);
        // The constant channel maps to 0 exactly in every convention that accepts it.
        const out = run();
        for (let i = 2; i < out.length; i += C) expect(out[i]).toBe(0);
      });
    }
  }

  it('the conventions really differ on [0, 1] images (up to ~6e-4 relative between add 1e-4 and clamp)', () => {
    const { data } = image('float01');
    const apply = (convention: Convention) => createScaler({ method: 'standardize', convention }).applyInto({ data, shape: [1, H, W, C] }, new Float32Array(H * W * C));
    const keras = apply('keras');
    const albu = apply('albumentations');
    const idg = apply('keras-idg');
    const rel = (a: Float32Array, b: Float32Array) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]) / Math.max(1e-3, Math.abs(v))));
    expect(rel(keras, albu)).toBeGreaterThan(2e-4);
    expect(rel(keras, idg)).toBeGreaterThan(1e-6);
  });

  it('albumentations clips standardized values to [-20, 20] and min-max uses (max - min + 1e-4)', () => {
    // One outlier among 999 zeros: (x - mean) / (std + 1e-4) ≈ 31.6, clipped to 20.
    const data = new Float32Array(1000);
    data[0] = 1;
    const out = createScaler({ method: 'standardize', per: 'global', convention: 'albumentations' }).applyInto({ data, shape: [1, 1000, 1, 1] }, new Float32Array(1000));
    expect(out[0]).toBe(20);
    const mean = 1 / 1000;
    const std = Math.sqrt((1 - mean) ** 2 / 1000 + (999 * mean ** 2) / 1000);
    expect(out[1]).toBeCloseTo(-mean / (std + 1e-4), 6);
    const mm = createScaler({ method: 'min-max', per: 'global', convention: 'albumentations' }).applyInto({ data, shape: [1, 1000, 1, 1] }, new Float32Array(1000));
    expect(mm[0]).toBeCloseTo(1 / (1 + 1e-4), 7);
  });

  it('Keras IDG samplewise normalization: x / (std + 1e-6) over the whole image (per global)', () => {
    const { data, values } = image('float255');
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    const out = createScaler({ method: 'standardize', per: 'global', convention: 'keras-idg' }).applyInto({ data, shape: [1, H, W, C] }, new Float32Array(values.length));
    expect(maxRelativeError(out, Array.from(values, (v) => (v - mean) / (std + 1e-6)))).toBeLessThan(1e-6);
  });
});

describe('conventions: the frameworks’ published examples', () => {
  it('keras.layers.Normalization docstring: adapt [1..5], call [1, 2, 3] → [-1.4142135, -0.70710677, 0]', () => {
    const fitted = computeStats({ data: Float32Array.from([1, 2, 3, 4, 5]), shape: [1, 5, 1, 1] });
    const y = createScaler({ method: 'standardize', convention: 'keras', stats: fitted }).applyInto({ data: Float32Array.from([1, 2, 3]), shape: [1, 3, 1, 1] }, new Float32Array(3));
    expect(Array.from(y)).toEqual([Math.fround(-1.4142135), Math.fround(-0.70710677), 0]);
  });

  // albucore tests/test_normalize_per_image.py (albumentations' kernels): literal expectations, its tolerance atol 1.5e-4.
  for (const dtype of ['uint8', 'float32'] as const) {
    it(`albumentations normalize_per_image test cases (${dtype}): image, image_per_channel, min_max, min_max_per_channel`, () => {
      const make = (values: number[]) => (dtype === 'uint8' ? Uint8Array.from(values) : Float32Array.from(values));
      const run = (method: 'standardize' | 'min-max', per: 'global' | 'channel', values: number[], shape: number[]) =>
        Array.from(createScaler({ method, per, convention: 'albumentations' }).applyInto({ data: make(values), shape }, new Float32Array(values.length)));
      const close = (got: number[], want: number[]) => want.forEach((w, i) => expect(Math.abs(got[i] - w)).toBeLessThanOrEqual(1.5e-4));
      close(run('min-max', 'global', [1, 2, 3, 4], [1, 2, 2, 1]), [0, 1 / 3, 2 / 3, 1]);
      close(run('min-max', 'channel', [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]), [0, 0, 1 / 3, 1 / 3, 2 / 3, 2 / 3, 1, 1]);
      close(run('standardize', 'global', [1, 2, 3, 4], [1, 2, 2, 1]), [-1.34164079, -0.4472136, 0.4472136, 1.34164079]);
      close(run('standardize', 'channel', [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]), [-1.34164079, -1.34164079, -0.4472136, -0.4472136, 0.4472136, 0.4472136, 1.34164079, 1.34164079]);
    });
  }

  it('sklearn StandardScaler docstring: fit [[0,0],[0,0],[1,1],[1,1]] → [-1,-1,1,1], transform [[2,2]] → [[3,3]]', () => {
    const data = Float32Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
    const fitted = computeStats({ data, shape: [1, 4, 1, 2] });
    expect(fitted.mean).toEqual([0.5, 0.5]);
    const scaler = createScaler({ method: 'standardize', convention: 'sklearn', stats: fitted });
    expect(Array.from(scaler.applyInto({ data, shape: [1, 4, 1, 2] }, new Float32Array(8)))).toEqual([-1, -1, -1, -1, 1, 1, 1, 1]);
    expect(Array.from(scaler.applyInto({ data: Float32Array.from([2, 2]), shape: [1, 1, 1, 2] }, new Float32Array(2)))).toEqual([3, 3]);
  });

  it('sklearn: a constant feature keeps scale 1 (values are only centred)', () => {
    const y = createScaler({ method: 'standardize', convention: 'sklearn', scope: 'batch' }).applyInto({ data: Float32Array.from([5, 5, 5]), shape: [3, 1, 1, 1] }, new Float32Array(3));
    expect(Array.from(y)).toEqual([0, 0, 0]);
    const mm = createScaler({ method: 'min-max', convention: 'sklearn', per: 'global' }).applyInto({ data: Float32Array.from([4, 4]), shape: [1, 2, 1, 1] }, new Float32Array(2));
    expect(Array.from(mm)).toEqual([0, 0]);
  });

  it('torchvision F.normalize refuses std == 0 ("std evaluated to zero") with E_VALUE', () => {
    const scaler = createScaler({ method: 'standardize', convention: 'torchvision', stats: { mean: [0.5, 0.5, 0.5], std: [0.2, 0, 0.2] } });
    expect(() => scaler.plan()).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
    // A tiny but non-zero float32 std is divided by as is, like torchvision.
    const tiny = createScaler({ method: 'standardize', convention: 'torchvision', stats: { mean: [0], std: [1e-30] } }).plan();
    expect(tiny.coefficients.scale[0]).toBe(1 / 1e-30);
  });
});

describe('conventions: options', () => {
  it('a convention sets zeroVariance and epsilon, and survives JSON', () => {
    for (const convention of CONVENTIONS) {
      const scaler = createScaler({ method: 'standardize', convention });
      expect(scaler.zeroVariance).toBe(CONVENTION_SETTINGS[convention].zeroVariance);
      expect(scaler.epsilon).toBe(CONVENTION_SETTINGS[convention].epsilon);
      const json = scaler.toJSON();
      expect(json.convention).toBe(convention);
      expect(JSON.stringify(createScaler({ method: 'standardize', convention }).toJSON())).toBe(JSON.stringify(JSON.parse(JSON.stringify(json))));
    }
    const clip = createScaler({ method: 'standardize', convention: 'albumentations', stats: { mean: [0], std: [1] } });
    expect(clip.plan().coefficients.clip).toEqual([-20, 20]);
  });

  it('refuses an unknown convention and a zeroVariance or epsilon that contradicts it', () => {
    const bad = [
      () => createScaler({ method: 'standardize', convention: 'pytorch' as Convention }),
      () => createScaler({ method: 'standardize', convention: 'keras', zeroVariance: 'add' }),
      () => createScaler({ method: 'standardize', convention: 'keras-idg', epsilon: 1e-7 }),
    ];
    for (const f of bad) {
      let error: unknown;
      try {
        f();
      } catch (e) {
        error = e;
      }
      expect(isPixelprepError(error, 'E_ARGUMENT')).toBe(true);
      expect((error as Error).message).toMatch(/^Expected .* but received /);
    }
    // Agreeing values are accepted.
    expect(createScaler({ method: 'standardize', convention: 'keras', epsilon: 1e-7, zeroVariance: 'clamp' }).convention).toBe('keras');
  });

  it('zeroVariance policies by name without a convention', () => {
    const constant = { data: Float32Array.from([3, 3]), shape: [1, 2, 1, 1] };
    const centred = Float32Array.from([3, 7]);
    const run = (zeroVariance: 'clamp' | 'add' | 'one', epsilon: number) =>
      Array.from(createScaler({ method: 'standardize', per: 'global', zeroVariance, epsilon }).applyInto({ data: centred, shape: [1, 2, 1, 1] }, new Float32Array(2)));
    // std of [3, 7] is 2: clamp and one divide by 2, add by 2 + ε.
    expect(run('clamp', 0.5)).toEqual([-1, 1]);
    expect(run('one', 0.5)).toEqual([-1, 1]);
    expect(run('add', 0.5)).toEqual([Math.fround(-2 / 2.5), Math.fround(2 / 2.5)]);
    // std 2 below ε 3: clamp divides by 3, one by 1.
    expect(run('clamp', 3)).toEqual([Math.fround(-2 / 3), Math.fround(2 / 3)]);
    expect(run('one', 3)).toEqual([-2, 2]);
    expect(Array.from(createScaler({ method: 'standardize', zeroVariance: 'one' }).applyInto(constant, new Float32Array(2)))).toEqual([0, 0]);
  });
});
