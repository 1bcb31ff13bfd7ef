/**
 * Loading a backend package registers its backend with tfjs, usually at a
 * higher priority than cpu. When no backend has been chosen yet, tfjs starts
 * the highest-priority one on the first op, and wasm or webgpu cannot start
 * synchronously: a user's next `tf.tensor()` would throw "has not yet been
 * initialized". Probing which backends exist must not change which one tfjs
 * picks, so backends registered during the probe are ranked below the ones
 * that were there before.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Runs `probe`, then ranks backends it registered below the previous default when no backend is chosen yet. */
export async function keepingDefaultBackend<T>(probe: () => Promise<T>): Promise<T> {
  const engine = tf.engine();
  const before = new Map(Object.entries(engine.registryFactory).map(([name, entry]) => [name, entry.priority]));
  try {
    return await probe();
  } finally {
    if (!engine.backendName && before.size > 0) {
      const lowest = Math.min(...before.values());
      for (const [name, entry] of Object.entries(engine.registryFactory)) {
        if (!before.has(name)) entry.priority = lowest - 1;
      }
    }
  }
}
