/**
 * What a WebGPU adapter is: vendor, architecture, and whether it is a
 * software (CPU) implementation such as Mesa lavapipe/llvmpipe or SwiftShader.
 * Software adapters prove correctness, not speed, so pixelprep uses one only
 * when the webgpu backend is asked for by name.
 */

/** A WebGPU adapter as pixelprep reports it (e.g. in `pixelprep info`). */
export interface WebGpuAdapterSummary {
  /** Vendor as the driver names it, e.g. 'nvidia', 'amd', 'intel', 'mesa'. */
  readonly vendor: string;
  /** Architecture, e.g. 'ampere', 'rdna-3', 'gen-12lp', 'software'. */
  readonly architecture: string;
  /** Device name, when the driver gives one. */
  readonly device: string;
  /** Human-readable driver description, e.g. 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)'. */
  readonly description: string;
  /** The adapter's own `isFallbackAdapter` flag (false when the implementation does not report it). */
  readonly isFallbackAdapter: boolean;
  /** True for a fallback adapter or a known CPU implementation: correct, but no faster than the CPU kernel. */
  readonly software: boolean;
}

/** Names that CPU implementations of Vulkan/WebGPU report in their adapter info. */
const SOFTWARE_IMPLEMENTATIONS = /\b(llvmpipe|lavapipe|swiftshader|softpipe)\b|^software$/i;

/** The fields of GPUAdapterInfo pixelprep reads (older implementations lack some). */
export interface AdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

/**
 * Summarizes an adapter's info.
 *
 * @param info - `adapter.info` (GPUAdapterInfo).
 * @param isFallbackAdapter - `adapter.isFallbackAdapter` where the implementation puts it on the adapter instead of its info.
 * @example
 * const summary = summarizeAdapter(adapter.info);
 * if (summary.software) console.log('software adapter:', summary.description);
 */
export function summarizeAdapter(info: AdapterInfoLike, isFallbackAdapter?: boolean): WebGpuAdapterSummary {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const summary = {
    vendor: text(info.vendor),
    architecture: text(info.architecture),
    device: text(info.device),
    description: text(info.description),
    isFallbackAdapter: info.isFallbackAdapter === true || isFallbackAdapter === true,
  };
  const named = [summary.architecture, summary.device, summary.description].some((s) => SOFTWARE_IMPLEMENTATIONS.test(s));
  return { ...summary, software: summary.isFallbackAdapter || named };
}

/**
 * One line for logs and `pixelprep info`.
 * @example
 * formatAdapter(summary); // 'mesa software (llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)), software adapter'
 */
export function formatAdapter(summary: WebGpuAdapterSummary): string {
  const name = [summary.vendor, summary.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  const detail = summary.description || summary.device;
  return `${name}${detail ? ` (${detail})` : ''}${summary.software ? ', software adapter' : ''}`;
}
