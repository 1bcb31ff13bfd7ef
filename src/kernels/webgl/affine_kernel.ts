/**
 * 'PixelprepAffine' for tfjs-backend-webgl: the plan in one fragment pass
 * (affine_program.ts), from raw bytes uploaded exactly (byte_texture.ts),
 * int32 or float32 pixels.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';
import { PixelprepAffine, type PixelprepAffineAttrs } from '../../core/kernel_names.js';
import { geometryOfAttrs } from '../../core/kernel_attrs.js';
import { valueCount } from '../../core/layout.js';
import { AffineProgram, tableInUniforms } from './affine_program.js';
import { programInput } from './pixel_source.js';
import { webglBackendFor } from './webgl_backend.js';

/**
 * The table `K` the program reads: [shift, scale, base] per coefficient set
 * (shift = f32(-offset/scale), base = offset + shift*scale in float64; shift 0
 * when -offset/scale is beyond float32), then the channel order.
 */
export function coefficientTable(a: Pick<PixelprepAffineAttrs, 'scale' | 'offset' | 'channelOrder'>): Float32Array {
  const sets = a.scale.length;
  const table = new Float32Array(3 * sets + a.channelOrder.length);
  for (let s = 0; s < sets; s++) {
    const shift = Math.fround(-a.offset[s] / a.scale[s]);
    const finiteShift = Number.isFinite(shift) ? shift : 0;
    table.set([finiteShift, a.scale[s], a.offset[s] + finiteShift * a.scale[s]], 3 * s);
  }
  table.set(a.channelOrder, 3 * sets);
  return table;
}

/** Checks the attrs a plan carries against the pixels' shape. */
function checkAttrs(a: PixelprepAffineAttrs, channels: number, images: number): void {
  const bad = (what: string, value: unknown): never => {
    throw new PixelprepError('E_ARGUMENT', `Expected ${what} in the attrs of '${PixelprepAffine}' but received ${JSON.stringify(value)}`);
  };
  if (a.channels !== 1 && a.channels !== channels) bad(`channels 1 or ${channels}`, a.channels);
  if (a.images !== 1 && a.images !== images) bad(`images 1 or ${images}`, a.images);
  const sets = a.images * a.channels;
  if (!Array.isArray(a.scale) || a.scale.length !== sets || !Array.isArray(a.offset) || a.offset.length !== sets) bad(`scale and offset of ${sets} numbers`, [a.scale, a.offset]);
  if (!Array.isArray(a.clip) || (a.clip.length !== 0 && a.clip.length !== 2)) bad('clip [] or [lo, hi]', a.clip);
  if (!Array.isArray(a.channelOrder) || (a.channelOrder.length !== 0 && a.channelOrder.length !== channels)) bad(`channelOrder [] or ${channels} channel indices`, a.channelOrder);
}

function runAffine({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const gl = webglBackendFor(backend, PixelprepAffine);
  const a = attrs as PixelprepAffineAttrs;
  const { x } = inputs;
  if (!x) throw new PixelprepError('E_ARGUMENT', `Expected input x for '${PixelprepAffine}' but received none`);
  const g = geometryOfAttrs(a);
  checkAttrs(a, g.channels, g.images);
  const size = valueCount(g);
  const input = programInput(gl, x, a.packing, size, PixelprepAffine);
  const table = coefficientTable(a);
  const shape = {
    shape: a.shape,
    source: input.source,
    layout: g.layout,
    clip: a.clip.length === 2,
    post: a.postScale !== 1 || a.postOffset !== 0,
    reorder: a.channelOrder.length > 0,
    perImage: a.images > 1,
    perChannel: a.channels > 1,
    sets: a.scale.length,
    channels: g.channels,
  };
  const k = tableInUniforms(shape) ? null : gl.makeTensorInfo([table.length], 'float32', table);
  try {
    const program = new AffineProgram(shape);
    const uniforms = program.uniformValues({
      widthShift: input.widthShift,
      channels: g.channels,
      pixels: g.pixels,
      channelSets: a.channels,
      orderOffset: 3 * a.scale.length,
      table,
      lo: a.clip[0] ?? 0,
      hi: a.clip[1] ?? 0,
      postScale: a.postScale,
      postOffset: a.postOffset,
    });
    const out = gl.runWebGLProgram(program, k ? [input.info, k] : [input.info], 'float32', uniforms);
    // [outer, rows, columns] and the pixels' shape share their last two axes: the same packed texture (see AffineProgram).
    return { dataId: out.dataId, shape: [...a.shape], dtype: 'float32' };
  } finally {
    if (k) gl.disposeIntermediateTensorInfo(k);
    input.release();
  }
}

/** The tfjs registration of the fused affine kernel for the webgl backend. */
export const affineKernelConfig: KernelConfig = { kernelName: PixelprepAffine, backendName: 'webgl', kernelFunc: runAffine };
