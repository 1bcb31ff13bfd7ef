/** Ctrl-C stops long work cleanly: the first SIGINT aborts (checkpoints are saved), a second one exits at once. */

/** An AbortSignal that fires on the first SIGINT, and a function to stop listening. */
export function abortOnInterrupt(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\npixelprep: interrupted, stopping (press Ctrl-C again to exit at once)\n');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onInterrupt);
  return { signal: controller.signal, release: () => process.off('SIGINT', onInterrupt) };
}
