/**
 * The numpy baseline: python3 runs the classic tutorial's code (cast to
 * float32, float64 per-channel mean/std, then arithmetic) on batches of the
 * same shape and dtype, timed the same way (warm-up, repeats, median).
 * Skipped with a reason when python3 or numpy is missing.
 */
import { spawnSync } from 'node:child_process';
import { caseLabel, type BenchCase } from './grid.js';
import { summarize, type Timing } from './measure.js';

/** The tutorial's code per benchmark method, on `x` of shape [N, H, W, 3]. */
const NUMPY_SCRIPT = String.raw`
import json, sys, time
import numpy as np

CAFFE_MEANS_BGR = np.array([103.939, 116.779, 123.68], dtype='float32')

def normalize(x):
    pixels = x.astype('float32')
    pixels /= 255.0
    return pixels

def standardize(x):
    pixels = x.astype('float32')
    means = pixels.mean(axis=(0, 1, 2), dtype='float64')
    stds = pixels.std(axis=(0, 1, 2), dtype='float64')
    return (pixels - means) / stds

def positive_standardize(x):
    pixels = standardize(x)
    pixels = np.clip(pixels, -1.0, 1.0)
    return (pixels + 1.0) / 2.0

def keras_caffe(x):
    pixels = x.astype('float32')[..., ::-1]
    pixels -= CAFFE_MEANS_BGR
    return pixels

def stats(x):
    pixels = x.astype('float32')
    return pixels.mean(axis=(0, 1, 2), dtype='float64'), pixels.std(axis=(0, 1, 2), dtype='float64')

METHODS = {'normalize': normalize, 'standardize': standardize, 'positive-standardize': positive_standardize,
           'keras-caffe': keras_caffe, 'stats': stats}

request = json.load(sys.stdin)
rng = np.random.default_rng(7)
results = []
for case in request['cases']:
    shape = (case['batch'], case['size'], case['size'], 3)
    x = rng.integers(0, 256, size=shape, dtype=np.uint8)
    if case['dtype'] == 'float32':
        x = x.astype('float32')
    fn = METHODS[case['method']]
    for _ in range(request['warmup']):
        fn(x)
    samples, spent = [], 0.0
    while len(samples) < request['repeats'] and (len(samples) < request['minRepeats'] or spent < request['maxSeconds']):
        start = time.perf_counter()
        fn(x)
        elapsed = time.perf_counter() - start
        samples.append(elapsed * 1000.0)
        spent += elapsed
    results.append({'key': case['key'], 'samples': samples})
print(json.dumps({'numpy': np.__version__, 'results': results}))
`;

export interface NumpyRun {
  /** numpy's version, or null when skipped. */
  version: string | null;
  /** Why the baseline did not run, or null. */
  skipped: string | null;
  /** Timing per case label. */
  timings: Map<string, Timing>;
}

export interface NumpyOptions {
  warmup: number;
  repeats: number;
  maxSeconds: number;
  /** The Python interpreter. Default 'python3'. */
  python?: string;
}

/**
 * Environment for the numpy process: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
 * (set on some machines to work around old OpenBLAS bugs) slow a current numpy
 * down, so they are removed here and only here.
 */
export function numpyEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const rest = { ...env };
  delete rest.OPENBLAS_CORETYPE;
  delete rest.OPENBLAS_L2_SIZE;
  return rest;
}

/** Times every case in one python3 process (or explains why it could not). */
export function runNumpyBaseline(cases: readonly BenchCase[], options: NumpyOptions): NumpyRun {
  const timings = new Map<string, Timing>();
  if (cases.length === 0) return { version: null, skipped: 'no cases', timings };
  const request = {
    warmup: options.warmup,
    repeats: options.repeats,
    minRepeats: Math.min(3, options.repeats),
    maxSeconds: options.maxSeconds,
    cases: cases.map((c) => ({ ...c, key: caseLabel(c) })),
  };
  const child = spawnSync(options.python ?? 'python3', ['-c', NUMPY_SCRIPT], {
    input: JSON.stringify(request),
    env: numpyEnvironment(),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.error) return { version: null, skipped: `python3 could not run (${child.error.message})`, timings };
  if (child.status !== 0) {
    const reason = /No module named '?numpy/.test(child.stderr) ? 'numpy is not installed for python3' : `python3 exited with ${child.status}: ${child.stderr.trim().split('\n').pop() ?? ''}`;
    return { version: null, skipped: reason, timings };
  }
  try {
    const parsed = JSON.parse(child.stdout) as { numpy: string; results: { key: string; samples: number[] }[] };
    for (const r of parsed.results) timings.set(r.key, summarize(r.samples));
    return { version: parsed.numpy, skipped: null, timings };
  } catch {
    return { version: null, skipped: 'python3 printed something other than the expected JSON', timings };
  }
}
