/**
 * Ctrl-C (SIGINT), SIGTERM (what `kill`, a job scheduler or a container
 * runtime sends) and SIGHUP (a closed terminal) stop long work cleanly: the
 * first one aborts, so a fit saves its checkpoint and no output is left
 * half-written; a second one, or one that arrives when no work is running,
 * exits at once with the shell's code for the signal (130, 143 or 129).
 * Exiting goes through process.exit, so the temporary files of writes still
 * in flight are removed (see src/node/atomic_write.ts) instead of left behind.
 */

/** The exit code a shell reports for a process ended by each signal: 128 + its number. */
export const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof SIGNAL_EXIT_CODES;
const HANDLED = Object.keys(SIGNAL_EXIT_CODES) as HandledSignal[];

/** Work that a signal aborts. */
const active = new Set<AbortController>();
let installed = false;

function onSignal(name: HandledSignal): void {
  const live = [...active].filter((c) => !c.signal.aborted);
  if (live.length === 0) process.exit(SIGNAL_EXIT_CODES[name]);
  const what = name === 'SIGINT' ? 'interrupted' : `terminated (${name})`;
  process.stderr.write(`\npixelprep: ${what}, stopping (send it again to exit at once)\n`);
  for (const controller of live) controller.abort(new Error(what));
}

/** Installs the handlers once, for the whole life of the command. */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const name of HANDLED) process.on(name, onSignal);
}

/** An AbortSignal that fires on the first SIGINT, SIGTERM or SIGHUP, and a function to stop listening. */
export function abortOnInterrupt(): { signal: AbortSignal; release: () => void } {
  installSignalHandlers();
  const controller = new AbortController();
  active.add(controller);
  return { signal: controller.signal, release: () => void active.delete(controller) };
}
