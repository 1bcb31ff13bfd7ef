/**
 * 'PixelprepMoments' for tfjs-backend-webgl: block partial sums on the GPU
 * (moments_program.ts), merged on the host in float64.
 *
 * The kernel returns the blocks as a float32 tensor of [2 × blocks, 4]
 * values; `mergeMomentBlocks` turns what it reads back into exact float64
 * moments per (image, channel), or per channel when attrs.perImage is false.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../core/errors.js';
import { PixelprepMoments, type PixelprepMomentsAttrs } from '../../core/kernel_names.js';
import { geometryOfAttrs } from '../../core/kernel_attrs.js';
import { valueCount, type Geometry } from '../../core/layout.js';
import { emptyMoments, mergeInto, type Moments } from '../../core/moments.js';
import { BLOCK_VALUES, blockSizeOf, blocksPerGroup, MomentsProgram } from './moments_program.js';
import { isSmallIntegerSource, programInput, type PixelSource } from './pixel_source.js';
import { webglBackendFor } from './webgl_backend.js';

/** The source the kernel reads for a packing; 'i32bytes' and 'texture' share the float reduction. */
const sourceOfPacking = (packing: PixelprepMomentsAttrs['packing']): PixelSource => (packing === 'uint8x4' ? 'u8x4' : packing === 'uint16x2' ? 'u16x2' : 'texture');

function runMoments({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const gl = webglBackendFor(backend, PixelprepMoments);
  const a = attrs as PixelprepMomentsAttrs;
  const { x } = inputs;
  if (!x) throw new PixelprepError('E_ARGUMENT', `Expected input x for '${PixelprepMoments}' but received none`);
  const g = geometryOfAttrs(a);
  const input = programInput(gl, x, a.packing, valueCount(g), PixelprepMoments);
  try {
    const perGroup = blocksPerGroup(g.pixels, input.source);
    const program = new MomentsProgram({ blocks: g.images * g.channels * perGroup, source: input.source, layout: g.layout });
    const uniforms = MomentsProgram.uniformValues({ widthShift: input.widthShift, channels: g.channels, pixels: g.pixels, blocksPerGroup: perGroup });
    return gl.runWebGLProgram(program, [input.info], 'float32', uniforms);
  } finally {
    input.release();
  }
}

/** The tfjs registration of the moments reduction for the webgl backend. */
export const momentsKernelConfig: KernelConfig = { kernelName: PixelprepMoments, backendName: 'webgl', kernelFunc: runMoments };

/**
 * Float64 moments from the kernel's blocks: one per (image, channel),
 * image-major, when `attrs.perImage`, else one per channel.
 *
 * @throws PixelprepError E_VALUE when the data held NaN or ±Infinity, E_SHAPE when `values` does not match the attrs.
 * @example
 * const blocks = tf.engine().runKernel('PixelprepMoments', { x }, attrs) as tf.Tensor;
 * const moments = mergeMomentBlocks(await blocks.data(), attrs);
 */
export function mergeMomentBlocks(values: ArrayLike<number>, attrs: PixelprepMomentsAttrs): Moments[] {
  const g = geometryOfAttrs(attrs);
  const source = sourceOfPacking(attrs.packing);
  const perGroup = blocksPerGroup(g.pixels, source);
  const groups = g.images * g.channels;
  if (values.length !== groups * perGroup * BLOCK_VALUES) {
    throw new PixelprepError('E_SHAPE', `Expected ${groups * perGroup * BLOCK_VALUES} block values from '${PixelprepMoments}' but received ${values.length}`);
  }
  const result: Moments[] = Array.from({ length: attrs.perImage ? groups : g.channels }, emptyMoments);
  const block = blockSizeOf(source);
  for (let group = 0; group < groups; group++) {
    const into = result[attrs.perImage ? group : group % g.channels];
    for (let b = 0; b < perGroup; b++) {
      const w = (group * perGroup + b) * BLOCK_VALUES;
      // Packed texel order: q0 q1 q4 q5 | q2 q3 q6 q7 (moments_program.ts).
      const q = [values[w], values[w + 1], values[w + 4], values[w + 5], values[w + 2], values[w + 3], values[w + 6], values[w + 7]];
      const count = Math.min(block, g.pixels - b * block);
      if (isSmallIntegerSource(source)) mergeIntegerBlock(into, count, q);
      else mergeFloatBlock(into, count, q, g, group);
    }
  }
  return result;
}

/** Exact: Σv and Σv² are integers below 2^53, so M2 = (nΣv² − (Σv)²)/n rounds once. */
function mergeIntegerBlock(into: Moments, count: number, q: number[]): void {
  const [sum, hh, hl, ll, min, max] = q;
  const squares = 65536 * hh + 512 * hl + ll;
  mergeInto(into, count, sum / count, (count * squares - sum * sum) / count, min, max);
}

function mergeFloatBlock(into: Moments, count: number, q: number[], g: Geometry, group: number): void {
  const [sumHi, sumLo, sqHi, sqLo, min, max, shift, bad] = q;
  if (bad > 0) {
    throw new PixelprepError('E_VALUE', `Expected finite pixel values in x but image ${Math.floor(group / g.channels)}, channel ${group % g.channels} holds ${bad} NaN or ±Infinity value(s)`);
  }
  const sum = sumHi + sumLo;
  const squares = sqHi + sqLo;
  mergeInto(into, count, shift + sum / count, Math.max(squares - (sum * sum) / count, 0), min, max);
}
