/**
 * Ctrl-C (SIGINT) and SIGTERM (what `kill`, a job scheduler or a container
 * runtime sends) stop long work cleanly: the first one aborts, so a fit saves
 * its checkpoint and no output is left half-written; a second one exits at once
 * with the shell's code for the signal (130 or 143).
 */

/** The exit code a shell reports for a process ended by each signal: 128 + its number. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof SIGNAL_EXIT_CODES;
const HANDLED = Object.keys(SIGNAL_EXIT_CODES) as HandledSignal[];

/** An AbortSignal that fires on the first SIGINT or SIGTERM, and a function to stop listening. */
export function abortOnInterrupt(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onSignal = (name: HandledSignal) => {
    if (controller.signal.aborted) process.exit(SIGNAL_EXIT_CODES[name]);
    const what = name === 'SIGINT' ? 'interrupted' : 'terminated (SIGTERM)';
    process.stderr.write(`\npixelprep: ${what}, stopping (send it again to exit at once)\n`);
    controller.abort(new Error(what));
  };
  for (const name of HANDLED) process.on(name, onSignal);
  return { signal: controller.signal, release: () => HANDLED.forEach((name) => process.off(name, onSignal)) };
}
