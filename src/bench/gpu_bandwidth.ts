/**
 * Peak memory bandwidth of GPUs the benchmark may run on, so a kernel's GB/s
 * can be read as a fraction of what the memory allows. WebGPU does not report
 * bandwidth; these are the vendors' datasheet figures, matched by name
 * (nvidia-smi's GPU name, or the adapter's device and description).
 */

export interface KnownBandwidth {
  /** The GPU as its datasheet names it. */
  name: string;
  /** Peak memory bandwidth in GB/s (1e9 bytes per second). */
  gbPerS: number;
}

/** Datasheet memory bandwidth, most specific names first. */
export const GPU_BANDWIDTH: readonly (KnownBandwidth & { pattern: RegExp })[] = [
  { pattern: /\bGH200\b/i, name: 'NVIDIA GH200 (HBM3e)', gbPerS: 4900 },
  { pattern: /\bH200\b/i, name: 'NVIDIA H200 (HBM3e)', gbPerS: 4800 },
  { pattern: /\bH100\b.*\bNVL\b/i, name: 'NVIDIA H100 NVL', gbPerS: 3900 },
  { pattern: /\bH100\b.*\bPCIe\b/i, name: 'NVIDIA H100 PCIe', gbPerS: 2000 },
  { pattern: /\bH100\b/i, name: 'NVIDIA H100 SXM', gbPerS: 3350 },
  { pattern: /\bA100\b.*\b80\s?GB\b/i, name: 'NVIDIA A100 80GB SXM', gbPerS: 2039 },
  { pattern: /\bA100\b/i, name: 'NVIDIA A100 40GB', gbPerS: 1555 },
  { pattern: /\bL40S\b/i, name: 'NVIDIA L40S', gbPerS: 864 },
  { pattern: /\bL4\b/i, name: 'NVIDIA L4', gbPerS: 300 },
  { pattern: /\bA10G?\b/i, name: 'NVIDIA A10', gbPerS: 600 },
  { pattern: /\bT4\b/i, name: 'NVIDIA T4', gbPerS: 320 },
  { pattern: /\bV100\b/i, name: 'NVIDIA V100 SXM2', gbPerS: 900 },
];

/**
 * The datasheet bandwidth of the first known GPU named in `names`, or null.
 * @example knownBandwidth(['NVIDIA H200']) // { name: 'NVIDIA H200 (HBM3e)', gbPerS: 4800 }
 */
export function knownBandwidth(names: readonly (string | null | undefined)[]): KnownBandwidth | null {
  const text = names.filter((n): n is string => typeof n === 'string' && n.length > 0);
  for (const entry of GPU_BANDWIDTH) {
    if (text.some((n) => entry.pattern.test(n))) return { name: entry.name, gbPerS: entry.gbPerS };
  }
  return null;
}
