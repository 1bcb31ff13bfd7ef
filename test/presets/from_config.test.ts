/**
 * preprocessorFromConfig against an independent float32 re-statement of the
 * Python pipelines, on the published configs (copied here from the model
 * repositories' preprocessor_config.json; no network at test time).
 *
 * HF (image_processing_utils / image_transforms): rescale = (x as float64 * factor) cast to
 * float32; normalize = (x - mean) / std in float32 (mean/std cast to the image dtype);
 * center_crop offsets (H - h) // 2; pixel_values channels first.
 * torchvision: ToTensor = float32 x / 255; Normalize in float32; crop offsets int(round((H - h) / 2)).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { PRETRAINED_CONFIGS, isPixelprepError, resize, preprocessorFromConfig, pretrainedPreprocessor, type ResampleFunction, type ResampleImage } from '../../src/index.js';

const f = Math.fround;

const CLIP = {
  crop_size: 224, do_center_crop: true, do_normalize: true, do_resize: true, feature_extractor_type: 'CLIPFeatureExtractor',
  image_mean: [0.48145466, 0.4578275, 0.40821073], image_std: [0.26862954, 0.26130258, 0.27577711], resample: 3, size: 224,
};
const VIT = { do_normalize: true, do_resize: true, feature_extractor_type: 'ViTFeatureExtractor', image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5], resample: 2, size: 224 };
const CONVNEXT = {
  crop_pct: 0.875, do_normalize: true, do_resize: true, feature_extractor_type: 'ConvNextFeatureExtractor',
  image_mean: [0.485, 0.456, 0.406], image_std: [0.229, 0.224, 0.225], resample: 3, size: 224,
};
const DINOV2 = {
  crop_size: { height: 224, width: 224 }, do_center_crop: true, do_convert_rgb: true, do_normalize: true, do_rescale: true, do_resize: true,
  image_mean: [0.485, 0.456, 0.406], image_processor_type: 'BitImageProcessor', image_std: [0.229, 0.224, 0.225], resample: 3,
  rescale_factor: 0.00392156862745098, size: { shortest_edge: 256 },
};

function pixels(H: number, W: number, C: number, seed: number): Uint8Array {
  const out = new Uint8Array(H * W * C);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out[i] = (s >> 7) % 256;
  }
  return out;
}

/** Crop [H, W, C] at (top, left) to [h, w] — plain slicing, offsets given by the caller. */
function slice(data: Uint8Array, W: number, C: number, top: number, left: number, h: number, w: number): Uint8Array {
  const out = new Uint8Array(h * w * C);
  for (let r = 0; r < h; r++) for (let x = 0; x < w * C; x++) out[r * w * C + x] = data[((top + r) * W + left) * C + x];
  return out;
}

/** HF rescale + normalize in float32, channels first. */
function hfReference(hwc: Uint8Array, h: number, w: number, factor: number, mean: number[], std: number[]): Float32Array {
  const out = new Float32Array(3 * h * w);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < h * w; p++) {
      const rescaled = f(hwc[p * 3 + c] * factor);
      out[c * h * w + p] = f(f(rescaled - f(mean[c])) / f(std[c]));
    }
  }
  return out;
}

/** torchvision ToTensor + Normalize in float32, channels first. */
function torchReference(hwc: Uint8Array, h: number, w: number, mean: number[], std: number[]): Float32Array {
  const out = new Float32Array(3 * h * w);
  for (let c = 0; c < 3; c++) for (let p = 0; p < h * w; p++) out[c * h * w + p] = f(f(f(hwc[p * 3 + c] / 255) - f(mean[c])) / f(std[c]));
  return out;
}

async function maxAbsDiff(y: tf.Tensor, want: Float32Array): Promise<number> {
  const got = await y.data();
  y.dispose();
  expect(got.length).toBe(want.length);
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i] - want[i]));
  return m;
}

/** Nearest-neighbour resampler written for the test (pixel centres), recording its calls. */
function nearest(calls: { width: number; height: number; kernel: string }[]): ResampleFunction {
  return (image: ResampleImage, { width, height, kernel }) => {
    calls.push({ width, height, kernel });
    const [H, W, C] = image.shape;
    const out = new Uint8Array(height * width * C);
    for (let r = 0; r < height; r++) {
      const sr = Math.min(H - 1, Math.floor(((r + 0.5) * H) / height));
      for (let x = 0; x < width; x++) {
        const sx = Math.min(W - 1, Math.floor(((x + 0.5) * W) / width));
        for (let c = 0; c < C; c++) out[(r * width + x) * C + c] = image.data[(sr * W + sx) * C + c];
      }
    }
    return { data: out, shape: [height, width, C] };
  };
}

describe('preprocessorFromConfig: Hugging Face configs', () => {
  it('CLIP ViT-B/32: shortest edge 224 (no resize at 224 × 300), crop at (300 - 224) // 2 = 38, CLIP mean/std', async () => {
    const x = pixels(224, 300, 3, 1);
    const p = preprocessorFromConfig(CLIP);
    const y = p.apply({ data: x, shape: [224, 300, 3] });
    expect(y.shape).toEqual([1, 3, 224, 224]);
    const want = hfReference(slice(x, 300, 3, 0, 38, 224, 224), 224, 224, 1 / 255, CLIP.image_mean, CLIP.image_std);
    expect(await maxAbsDiff(y, want)).toBeLessThan(1e-6);
    expect(p.spec.kernel).toBe('pil-bicubic');
    expect(p.spec.ignoredKeys).toEqual(['feature_extractor_type']);
  });

  it('ViT-base-patch16-224: integer size is square 224 × 224, mean/std 0.5, no crop', async () => {
    const x = pixels(224, 224, 3, 2);
    const p = preprocessorFromConfig(VIT);
    expect(p.spec.resize).toEqual({ mode: 'exact', height: 224, width: 224 });
    expect(p.spec.kernel).toBe('pil-bilinear');
    expect(await maxAbsDiff(p.apply({ data: x, shape: [1, 224, 224, 3] }), hfReference(x, 224, 224, 1 / 255, VIT.image_mean, VIT.image_std))).toBeLessThan(1e-6);
  });

  it('ConvNeXt-tiny-224: shortest edge int(224 / 0.875) = 256, crop 224 at floor offsets (16, 39)', async () => {
    const x = pixels(256, 303, 3, 3);
    const p = preprocessorFromConfig(CONVNEXT);
    expect(p.spec.resize).toEqual({ mode: 'shortest-edge', size: 256 });
    expect(p.outputSize(256, 303)).toEqual([224, 224]);
    const want = hfReference(slice(x, 303, 3, 16, 39, 224, 224), 224, 224, 1 / 255, CONVNEXT.image_mean, CONVNEXT.image_std);
    expect(await maxAbsDiff(p.apply({ data: x, shape: [256, 303, 3] }), want)).toBeLessThan(1e-6);
    // The fast (torchvision-backed) processors round the offset half to even: (303 - 224) / 2 = 39.5 → 40.
    const fast = preprocessorFromConfig({ ...CONVNEXT, use_fast: true });
    const wantFast = hfReference(slice(x, 303, 3, 16, 40, 224, 224), 224, 224, 1 / 255, CONVNEXT.image_mean, CONVNEXT.image_std);
    expect(await maxAbsDiff(fast.apply({ data: x, shape: [256, 303, 3] }), wantFast)).toBeLessThan(1e-6);
  });

  it('DINOv2-small: shortest edge 256 through the injected resampler, then crop 224', async () => {
    const x = pixels(300, 400, 3, 4);
    const calls: { width: number; height: number; kernel: string }[] = [];
    const resample = nearest(calls);
    const p = preprocessorFromConfig(DINOV2, { resample });
    const y = p.apply({ data: x, shape: [300, 400, 3] });
    // HF get_resize_output_image_size: short 300 → 256, long int(256 * 400 / 300) = 341.
    expect(calls).toEqual([{ width: 341, height: 256, kernel: 'pil-bicubic' }]);
    const resized = nearest([])({ data: x, shape: [300, 400, 3] }, { width: 341, height: 256, kernel: 'pil-bicubic' });
    const want = hfReference(slice(resized.data, 341, 3, 16, 58, 224, 224), 224, 224, DINOV2.rescale_factor, DINOV2.image_mean, DINOV2.image_std);
    expect(await maxAbsDiff(y, want)).toBeLessThan(1e-6);
  });

  it('DINOv2 converts RGBA and gray to RGB as PIL does (alpha dropped, gray replicated)', async () => {
    const rgb = pixels(256, 256, 3, 5);
    const rgba = new Uint8Array(256 * 256 * 4);
    for (let p = 0; p < 256 * 256; p++) {
      rgba.set(rgb.subarray(p * 3, p * 3 + 3), p * 4);
      rgba[p * 4 + 3] = 9;
    }
    const p = preprocessorFromConfig(DINOV2);
    const a = await p.apply({ data: rgba, shape: [256, 256, 4] }).data();
    const b = await p.apply({ data: rgb, shape: [256, 256, 3] }).data();
    expect(Array.from(a)).toEqual(Array.from(b));
    const gray = pixels(256, 256, 1, 6);
    const g = p.geometry({ data: gray, shape: [256, 256, 1] });
    expect(g.shape).toEqual([224, 224, 3]);
    expect([g.data[0], g.data[1], g.data[2]]).toEqual([gray[16 * 256 + 16], gray[16 * 256 + 16], gray[16 * 256 + 16]]);
  });

  it('the plan inverts: invert(apply(x)) gives back the cropped pixels', async () => {
    const x = pixels(224, 300, 3, 7);
    const p = preprocessorFromConfig(CLIP);
    const y = p.apply({ data: x, shape: [224, 300, 3] });
    const back = p.invert(y);
    const got = await back.data();
    tf.dispose([y, back]);
    const crop = slice(x, 300, 3, 0, 38, 224, 224);
    let err = 0;
    for (let c = 0; c < 3; c++) for (let q = 0; q < 224 * 224; q++) err = Math.max(err, Math.abs(got[c * 224 * 224 + q] - crop[q * 3 + c]));
    expect(err).toBeLessThan(1e-3);
  });

  it('refuses unknown pixel-changing keys by name, lists metadata and disabled steps as ignored', () => {
    const error = (() => {
      try {
        preprocessorFromConfig({ ...DINOV2, do_pad: true, pad_size: 32 });
      } catch (e) {
        return e;
      }
    })();
    expect(isPixelprepError(error, 'E_FORMAT')).toBe(true);
    expect((error as Error).message).toMatch(/'do_pad', 'pad_size'/);
    const p = preprocessorFromConfig({ ...DINOV2, do_pad: false, transformers_version: '4.40.0' });
    expect(p.spec.ignoredKeys).toEqual(['image_processor_type', 'do_pad', 'transformers_version']);
    // crop_pct only means something to ConvNeXt.
    expect(() => preprocessorFromConfig({ ...CLIP, crop_pct: 0.9 })).toThrow(/'crop_pct'/);
    // An integer size of an unknown processor class is ambiguous.
    expect(() => preprocessorFromConfig({ ...VIT, feature_extractor_type: 'MysteryFeatureExtractor' })).toThrow(expect.objectContaining({ code: 'E_FORMAT' }));
    expect(() => preprocessorFromConfig({ ...VIT, image_std: [0.5, 0, 0.5] })).toThrow(/non-zero/);
    expect(() => preprocessorFromConfig('clip')).toThrow(expect.objectContaining({ code: 'E_FORMAT' }));
  });

  it('pads a crop larger than the image with zeros: HF at ceil((h - H) / 2), torchvision at (h - H) // 2', () => {
    const x = pixels(220, 221, 3, 11);
    const config = { ...CLIP, do_resize: false };
    for (const [rounding, top, left] of [['floor', 2, 2], ['half-even', 2, 1]] as const) {
      const out = preprocessorFromConfig(config, { cropRounding: rounding }).geometry({ data: x, shape: [220, 221, 3] });
      expect(out.shape).toEqual([224, 224, 3]);
      // The first copied pixel sits at (top, left); everything before it in its row is zero padding.
      expect(Array.from(out.data.subarray((top * 224 + left) * 3, (top * 224 + left) * 3 + 3))).toEqual(Array.from(x.subarray(0, 3)));
      expect(out.data[(top * 224 + left - 1) * 3]).toBe(0);
      expect(Array.from(out.data.subarray(0, 224 * 3 * top)).every((v) => v === 0)).toBe(true);
    }
  });

  it('resizes with the Pillow-exact resampler by default (shortest edge 256 with pil-bicubic, then crop 224)', () => {
    const x = pixels(300, 400, 3, 8);
    const got = preprocessorFromConfig(DINOV2).geometry({ data: x, shape: [300, 400, 3] });
    // resize() itself is checked byte for byte against Pillow in test/resample; here: the same call, then HF's crop offsets.
    const resized = resize({ data: x, shape: [300, 400, 3] }, { width: 341, height: 256, kernel: 'pil-bicubic' });
    expect(got.shape).toEqual([224, 224, 3]);
    expect(Array.from(got.data)).toEqual(Array.from(slice(resized.data, 341, 3, 16, 58, 224, 224)));
  });
});

describe('preprocessorFromConfig: torchvision weights and timm', () => {
  it('resnet50 IMAGENET1K_V2: resize 232, crop 224 at round-half-even offsets, ToTensor + Normalize in float32', async () => {
    const x = pixels(232, 303, 3, 9);
    const p = pretrainedPreprocessor('resnet50.IMAGENET1K_V2');
    // int(round((303 - 224) / 2.0)) = round(39.5) = 40; (232 - 224) / 2 = 4.
    const want = torchReference(slice(x, 303, 3, 4, 40, 224, 224), 224, 224, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
    expect(await maxAbsDiff(p.apply({ data: x, shape: [232, 303, 3] }), want)).toBeLessThan(1e-6);
  });

  it('efficientnet_v2_l: mean/std 0.5, bicubic 480', () => {
    const p = pretrainedPreprocessor('efficientnet_v2_l.IMAGENET1K_V1');
    expect(p.spec).toMatchObject({ resize: { mode: 'shortest-edge', size: 480 }, kernel: 'pil-bicubic', crop: { height: 480, width: 480 }, mean: [0.5, 0.5, 0.5] });
    expect(preprocessorFromConfig({ crop_size: 224 }).spec).toMatchObject({ source: 'torchvision ImageClassification', resize: { size: 256 }, kernel: 'pil-bilinear' });
  });

  it('timm defaults: floor(224 / 0.875) = 256, crop 224; a crop_pct of 0.9 gives floor(248.9) = 248', async () => {
    const x = pixels(256, 259, 3, 10);
    const p = pretrainedPreprocessor('timm/defaults');
    // round((259 - 224) / 2) = round(17.5) = 18 (half to even), (256 - 224) / 2 = 16.
    const want = torchReference(slice(x, 259, 3, 16, 18, 224, 224), 224, 224, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
    expect(await maxAbsDiff(p.apply({ data: x, shape: [256, 259, 3] }), want)).toBeLessThan(1e-6);
    const vit = preprocessorFromConfig({ input_size: [3, 224, 224], crop_pct: 0.9, interpolation: 'bicubic', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], num_classes: 1000, first_conv: 'patch_embed.proj' });
    expect(vit.spec.resize).toEqual({ mode: 'shortest-edge', size: 248 });
    expect(vit.spec.ignoredKeys).toEqual(['num_classes', 'first_conv']);
    expect(() => preprocessorFromConfig({ input_size: [3, 224, 224], crop_mode: 'border' })).toThrow(/crop_mode/);
  });

  it('every registered config builds, and unknown names are refused', () => {
    for (const entry of PRETRAINED_CONFIGS) expect(pretrainedPreprocessor(entry.name).plan.coefficients.channels).toBe(3);
    expect(() => pretrainedPreprocessor('openai/clip-vit-huge')).toThrow(expect.objectContaining({ code: 'E_ARGUMENT' }));
  });
});
