/**
 * The core matrix run in Chromium (the same axes as test/core/scale.test.ts):
 * every method × per × scope × layout × input kind. Shared by the page (which
 * runs the cases) and the vitest side (which names one test per case).
 */
import type { RefMethod } from '../../core/reference.js';

export const METHODS: RefMethod[] = ['normalize', 'center', 'standardize', 'positive-standardize', 'min-max'];
export const PERS = ['channel', 'global'] as const;
export const SCOPES = ['image', 'batch'] as const;
export const LAYOUTS = ['channels_last', 'channels_first'] as const;
export const INPUT_KINDS = ['uint8 raw', 'int32 tensor', 'float32 tensor', 'float32 raw'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

export interface MatrixCase {
  name: string;
  method: RefMethod;
  per: (typeof PERS)[number];
  scope: (typeof SCOPES)[number];
  layout: (typeof LAYOUTS)[number];
  kind: InputKind;
}

export function matrixCases(): MatrixCase[] {
  const cases: MatrixCase[] = [];
  for (const layout of LAYOUTS) {
    for (const kind of INPUT_KINDS) {
      for (const method of METHODS) {
        for (const per of PERS) {
          for (const scope of SCOPES) cases.push({ name: `${method} per ${per} scope ${scope} ${layout} from ${kind}`, method, per, scope, layout, kind });
        }
      }
    }
  }
  return cases;
}

/** What the page reports for one case. */
export interface CaseResult {
  name: string;
  /** Largest |y - ref| / max(1, |ref|) over the output (reference.ts's maxError). */
  error: number;
  /** Largest relative error of the statistics' means and stds against the float64 reference (webgl: the moments kernel). */
  statsError: number;
  /** Tensors left behind by the case. */
  leaked: number;
  /** The exception's code and message, when the case threw. */
  thrown?: string;
}

/** What a backend lane reports when it starts (or why it cannot). */
export interface LaneInfo {
  backend: string;
  available: boolean;
  reason?: string;
  /** WEBGL_RENDERER / the WebGPU adapter's description. */
  renderer?: string;
}
