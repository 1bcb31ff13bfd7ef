/**
 * The benchmark grid: method × batch size × image size × input dtype (the
 * backend axis is every available backend). Cases whose bytes exceed the cap
 * are listed as skipped so the full grid finishes in reasonable time.
 */

/** What each case measures. 'stats' is the per-channel statistics pass alone. */
export const BENCH_METHODS = ['normalize', 'standardize', 'positive-standardize', 'keras-caffe', 'stats'] as const;
export type BenchMethod = (typeof BENCH_METHODS)[number];

export const BENCH_DTYPES = ['uint8', 'float32'] as const;
export type BenchDtype = (typeof BENCH_DTYPES)[number];

/** Every image is RGB, channels last. */
export const BENCH_CHANNELS = 3;

export interface BenchCase {
  method: BenchMethod;
  batch: number;
  /** Square images of size × size pixels. */
  size: number;
  dtype: BenchDtype;
}

export interface GridAxes {
  methods: readonly BenchMethod[];
  batches: readonly number[];
  sizes: readonly number[];
  dtypes: readonly BenchDtype[];
}

/** The full grid of the benchmark suite. */
export const FULL_GRID: GridAxes = {
  methods: BENCH_METHODS,
  batches: [1, 8, 32, 128, 256],
  sizes: [32, 224, 512],
  dtypes: BENCH_DTYPES,
};

/** The quick grid: the headline batch [32,224,224,3] and a single image, for the chart. */
export const QUICK_GRID: GridAxes = {
  methods: BENCH_METHODS,
  batches: [1, 32],
  sizes: [224],
  dtypes: ['uint8'],
};

/** The case the speed targets are stated for: [32,224,224,3] uint8 → float32. */
export const TARGET_CASE = { batch: 32, size: 224, dtype: 'uint8' } as const;

const BYTES_PER_VALUE: Readonly<Record<BenchDtype, number>> = { uint8: 1, float32: 4 };

/** Values in one case's batch. */
export const caseValues = (c: Pick<BenchCase, 'batch' | 'size'>): number => c.batch * c.size * c.size * BENCH_CHANNELS;

/** Bytes read (input) and written (float32 output; none for 'stats'). */
export function caseBytes(c: BenchCase): { bytesIn: number; bytesOut: number } {
  const values = caseValues(c);
  return { bytesIn: values * BYTES_PER_VALUE[c.dtype], bytesOut: c.method === 'stats' ? 0 : values * 4 };
}

/** The tensor shape of a case: [batch, size, size, 3]. */
export const caseShape = (c: Pick<BenchCase, 'batch' | 'size'>): number[] => [c.batch, c.size, c.size, BENCH_CHANNELS];

/** A stable label, e.g. "normalize 32×224² uint8". */
export const caseLabel = (c: BenchCase): string => `${c.method} ${c.batch}×${c.size}² ${c.dtype}`;

/**
 * Every combination of the axes, in a stable order (dtype, size, batch, method),
 * split into cases to run and cases over `maxBytes` (input + output).
 */
export function expandGrid(axes: GridAxes, maxBytes: number): { cases: BenchCase[]; skipped: BenchCase[] } {
  const cases: BenchCase[] = [];
  const skipped: BenchCase[] = [];
  for (const dtype of axes.dtypes) {
    for (const size of axes.sizes) {
      for (const batch of axes.batches) {
        for (const method of axes.methods) {
          const c: BenchCase = { method, batch, size, dtype };
          const { bytesIn, bytesOut } = caseBytes(c);
          (bytesIn + bytesOut <= maxBytes ? cases : skipped).push(c);
        }
      }
    }
  }
  return { cases, skipped };
}
