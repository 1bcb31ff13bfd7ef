/**
 * Benchmark options: what `pixelprep bench` accepts, checked and filled with
 * defaults in one place (the CLI passes commander's raw values through here).
 */
import { BACKENDS, type BackendName } from '../backends/select.js';
import { PixelprepError } from '../core/errors.js';
import { isPlainObject, knownKeys, oneOf } from '../core/validate.js';
import { BENCH_DTYPES, BENCH_METHODS, FULL_GRID, QUICK_GRID, type BenchDtype, type BenchMethod, type GridAxes } from './grid.js';

/** Where results go unless `out` says otherwise. */
export const DEFAULT_OUT_DIR = 'benchmarks/results';

export interface BenchConfig {
  /** Quick mode: the small grid and short time budgets. */
  quick: boolean;
  /** Folder the JSON, Markdown and SVG reports are written to. */
  outDir: string;
  /** Backends to run; null means every available one. */
  backends: BackendName[] | null;
  grid: GridAxes;
  /** Cases whose input + output bytes exceed this are skipped (listed in the report). */
  maxBytes: number;
  warmup: number;
  repeats: number;
  /** Time budget per measurement, in seconds (at least 3 runs are always timed). */
  maxSeconds: number;
  /** Run the numpy baseline when python3 with numpy is present. */
  numpy: boolean;
  /**
   * Methods whose naive tfjs op chain is timed (every method in full mode;
   * normalize only in quick mode, as the chains take seconds per run).
   */
  chainMethods: BenchMethod[];
}

/** Raw options as the CLI (or a caller) gives them: lists as comma-separated strings or arrays. */
export interface RawBenchOptions {
  quick?: boolean;
  out?: string;
  backends?: string | readonly string[];
  methods?: string | readonly string[];
  batches?: string | readonly (string | number)[];
  sizes?: string | readonly (string | number)[];
  dtypes?: string | readonly string[];
  warmup?: string | number;
  repeats?: string | number;
  seconds?: string | number;
  maxMb?: string | number;
  numpy?: boolean;
}

const RAW_KEYS = ['quick', 'out', 'backends', 'methods', 'batches', 'sizes', 'dtypes', 'warmup', 'repeats', 'seconds', 'maxMb', 'numpy'] as const;

/** Defaults per mode: quick finishes in under a minute on a laptop-class CPU. */
// Quick mode: the slow baselines (op chains, webgpu on software adapters) dominate, so budgets are short.
const MODE_DEFAULTS = {
  quick: { warmup: 1, repeats: 5, maxSeconds: 0.25, maxMb: 256 },
  full: { warmup: 2, repeats: 11, maxSeconds: 1.5, maxMb: 256 },
} as const;

function listOf(name: string, value: unknown): string[] {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.map(String) : null;
  const cleaned = items?.map((s) => s.trim()).filter((s) => s.length > 0);
  if (!cleaned || cleaned.length === 0) {
    throw new PixelprepError('E_ARGUMENT', `Expected a comma-separated list for ${name} but received ${JSON.stringify(value)}`);
  }
  return [...new Set(cleaned)];
}

function numberOf(name: string, value: unknown, check: (n: number) => boolean, expected: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || !check(n)) {
    throw new PixelprepError('E_ARGUMENT', `Expected ${expected} for ${name} but received ${JSON.stringify(value)}`);
  }
  return n;
}

const positiveInteger = (n: number) => Number.isInteger(n) && n >= 1;

/**
 * Checks raw options and fills defaults.
 *
 * Options (defaults in parentheses; quick / full where they differ):
 * - `quick` (false): the quick grid (batches 1 and 32 of 224×224 uint8, every
 *   method; the tfjs op chain for normalize only).
 * - `out` ('benchmarks/results'): report folder.
 * - `backends` (every available): e.g. 'cpu,wasm'.
 * - `methods`, `batches`, `sizes`, `dtypes`: override the grid axes.
 * - `warmup` (1 / 2), `repeats` (5 / 11), `seconds` (0.25 / 1.5) per measurement.
 * - `maxMb` (256): skip cases above this many MB of input + output.
 * - `numpy` (true): run the numpy baseline when available.
 *
 * @throws PixelprepError E_ARGUMENT naming the option, what was expected and what arrived.
 * @example parseBenchOptions({ quick: true, backends: 'cpu' })
 */
export function parseBenchOptions(raw: RawBenchOptions = {}): BenchConfig {
  if (!isPlainObject(raw)) throw new PixelprepError('E_ARGUMENT', `Expected an options object for bench but received ${typeof raw}`);
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  knownKeys('bench options', defined, RAW_KEYS);
  const quick = raw.quick === true;
  const mode = quick ? MODE_DEFAULTS.quick : MODE_DEFAULTS.full;
  const base = quick ? QUICK_GRID : FULL_GRID;
  if (raw.out !== undefined && (typeof raw.out !== 'string' || raw.out.trim() === '')) {
    throw new PixelprepError('E_ARGUMENT', `Expected a folder path for out but received ${JSON.stringify(raw.out)}`);
  }
  const grid: GridAxes = {
    methods: raw.methods === undefined ? base.methods : listOf('methods', raw.methods).map((m) => oneOf<BenchMethod>('methods', m, BENCH_METHODS)),
    batches:
      raw.batches === undefined ? base.batches : listOf('batches', raw.batches).map((b) => numberOf('batches', b, positiveInteger, 'positive integers')),
    sizes: raw.sizes === undefined ? base.sizes : listOf('sizes', raw.sizes).map((s) => numberOf('sizes', s, positiveInteger, 'positive integers')),
    dtypes: raw.dtypes === undefined ? base.dtypes : listOf('dtypes', raw.dtypes).map((d) => oneOf<BenchDtype>('dtypes', d, BENCH_DTYPES)),
  };
  return {
    quick,
    outDir: raw.out ?? DEFAULT_OUT_DIR,
    backends: raw.backends === undefined ? null : listOf('backends', raw.backends).map((b) => oneOf<BackendName>('backends', b, BACKENDS)),
    grid,
    maxBytes: numberOf('maxMb', raw.maxMb ?? mode.maxMb, (n) => n > 0, 'a positive number of megabytes') * 1e6,
    warmup: numberOf('warmup', raw.warmup ?? mode.warmup, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
    repeats: numberOf('repeats', raw.repeats ?? mode.repeats, positiveInteger, 'a positive integer'),
    maxSeconds: numberOf('seconds', raw.seconds ?? mode.maxSeconds, (n) => n > 0, 'a positive number of seconds'),
    numpy: raw.numpy !== false,
    chainMethods: grid.methods.filter((m) => !quick || m === 'normalize'),
  };
}
