/**
 * Pillow resizes RGBA through premultiplied RGBa (Image.resize converts
 * RGBA → RGBa, resamples, converts back), so transparent pixels do not bleed
 * their colour. The conversions are Pillow's (libImaging/Convert.c, 9.4.0):
 * premultiply v·a/255 rounded as ((t >> 8) + t) >> 8 with t = v·a + 128;
 * unpremultiply trunc(255·v / a) clamped to 255, alpha 0 and 255 left as is.
 */

/** RGBA → RGBa, a new array. */
export function premultiply(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length);
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = rgba[i + 3];
    for (let c = 0; c < 3; c++) {
      const t = rgba[i + c] * alpha + 128;
      out[i + c] = ((t >> 8) + t) >> 8;
    }
    out[i + 3] = alpha;
  }
  return out;
}

/** RGBa → RGBA, in place. */
export function unpremultiply(rgba: Uint8Array): Uint8Array {
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = rgba[i + 3];
    if (alpha === 0 || alpha === 255) continue;
    for (let c = 0; c < 3; c++) rgba[i + c] = Math.min(Math.trunc((255 * rgba[i + c]) / alpha), 255);
  }
  return rgba;
}
