/** One backend's kernels, as each folder under kernels/ exports them for register_all_kernels.ts. */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import type { PixelPacking } from '../core/kernel_names.js';

export interface BackendKernels {
  /** The tfjs backend name. */
  readonly backendName: string;
  /** True when the kernels run in one fused pass (false: a chain of tfjs ops inside the kernel). */
  readonly fused: boolean;
  /** PixelprepAffine, PixelprepMoments and PixelprepColorTransform. */
  readonly configs: readonly KernelConfig[];
  /** Packed input the kernels read besides 'none'. */
  readonly packings: readonly PixelPacking[];
  /** Packed input the tfjs op chain (kernel choice 'composite') unpacks exactly on this backend. */
  readonly compositePackings: readonly PixelPacking[];
  /** False when the backend cannot read tensors synchronously (webgpu in Node). Default true. */
  readonly readsSynchronously?: boolean;
}
