/** Types for scripts/peer_matrix.mjs (used by test/install/peer_range.test.ts). */
export interface PeerFindings {
  version: string;
  installSeconds: number;
  tfjsCores: string[];
  nodeModulesBeyondTfjsMB: number;
  exitCode: number | null;
  extraOutput: string[];
  result: { tfjs: string; normalizeError: number; standardizeError: number; requireWorks: boolean; layers: string } | null;
}
export const OLDEST: string;
export const NEWEST: string;
export function pack(work: string): string;
export function checkVersion(version: string, tarball: string, work: string): PeerFindings;
export function problemsOf(findings: PeerFindings): string[];
