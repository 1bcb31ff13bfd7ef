/**
 * Temporary files that exist only while an operation runs (an atomic
 * write's data, a writability probe). If the process exits before the
 * operation removes its file (process.exit, and in the CLI every handled
 * signal), an 'exit' handler removes it, so no failure path leaves one behind.
 */
import { rmSync } from 'node:fs';

const inFlight = new Set<string>();
let exitHookInstalled = false;

/** Registers `path` for removal at exit until `release` is called. */
export function trackTemporary(path: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const file of inFlight) rmSync(file, { force: true });
    });
  }
  inFlight.add(path);
}

/** The operation has removed (or renamed) `path` itself. */
export function releaseTemporary(path: string): void {
  inFlight.delete(path);
}

/** The temporary files of operations still in flight. */
export const temporaryFilesInFlight = (): readonly string[] => [...inFlight];
