/**
 * Progress bars on stderr (cli-progress), shown when stderr is a terminal or
 * `--progress` asks for them (then one line every 2 s on a pipe), hidden with
 * `--no-progress`. stdout stays clean for results and `--json`.
 */
import cliProgress from 'cli-progress';

/** A running bar (or nothing, when disabled). */
export interface Progress {
  /** Sets the count done. */
  update(done: number): void;
  /** Draws the final state and releases the terminal. */
  stop(): void;
}

export interface ProgressOptions {
  /** true: always; false: never; undefined: when stderr is a terminal. */
  enabled?: boolean;
  /** What is counted, e.g. 'images'. */
  unit: string;
  /** Where to draw. Default process.stderr. */
  stream?: NodeJS.WriteStream;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

/** Starts a bar labelled `label` counting to `total`. */
export function startProgress(label: string, total: number, options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? stream.isTTY === true;
  if (!enabled || total <= 0) return SILENT;
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      stream,
      noTTYOutput: true,
      hideCursor: stream.isTTY === true,
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${options.unit} | {rate}/s | ETA {eta_formatted}`,
      barCompleteChar: '#',
      barIncompleteChar: '-',
      barsize: 30,
    },
    cliProgress.Presets.legacy,
  );
  const rate = (done: number) => (done / Math.max((Date.now() - started) / 1000, 1e-3)).toFixed(1);
  bar.start(total, 0, { rate: '0.0' });
  return {
    update: (done) => bar.update(done, { rate: rate(done) }),
    stop: () => bar.stop(),
  };
}
