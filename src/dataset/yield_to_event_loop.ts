/**
 * A loop over a synchronous source (an array, a generator) only ever awaits
 * promises that are already resolved, so timers, I/O callbacks and the
 * AbortSignal a timer would fire never get to run: `fitStats` over an endless
 * generator could not be stopped. Loops call `maybeYield()` once per input;
 * every `intervalMs` of work it waits for one macrotask (setTimeout 0, which
 * browsers and Node both have), so other work runs within bounded time at a
 * cost of about one timer tick per interval.
 */

/** Milliseconds of work between yields by default. */
export const YIELD_INTERVAL_MS = 16;

const now = (): number => globalThis.performance?.now() ?? Date.now();

/** Yields to the event loop at most once per interval. */
export class EventLoopYielder {
  private last = now();

  constructor(private readonly intervalMs = YIELD_INTERVAL_MS) {}

  /** Resolves at once, or after one macrotask when `intervalMs` has passed since the last yield. */
  async maybeYield(): Promise<void> {
    if (now() - this.last < this.intervalMs) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    this.last = now();
  }
}
