/**
 * Checkpoints of a file fit, so an interrupted fit continues where it stopped
 * without counting a file twice.
 *
 * A fit visits its files in one fixed order (sorted, then sharded) and counts
 * them strictly in that order, so the files already counted are always the
 * first `done` files of the list. The checkpoint stores that number, a SHA-256
 * of those paths (each followed by a newline), the partial float64 moments and
 * the fit's settings. It stays a few hundred bytes whatever the dataset size,
 * so it can be rewritten often. On resume the first `done` paths of the new
 * list must hash to the same digest and the settings must match, otherwise
 * the fit refuses to continue rather than risk a file counted twice or missed.
 */
import { createHash, type Hash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { PixelprepError } from '../core/errors.js';
import { writeFileAtomic } from './atomic_write.js';
import type { Layout, SpatialDims } from '../core/layout.js';
import type { Per } from '../core/methods.js';
import type { StatsSource } from '../core/pixel_stats.js';
import { describe, isInteger, isPlainObject } from '../core/validate.js';
import { withPrefix } from './json_file.js';
import { readRegularText } from './read_regular.js';
import type { Shard } from './shard.js';
import { StatsAccumulator, type AccumulatorOptions, type AccumulatorState } from '../dataset/stats_accumulator.js';

export const CHECKPOINT_FORMAT = 'pixelprep-fit-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** The settings a resumed fit must share with the fit that wrote the checkpoint. */
export interface CheckpointSettings {
  layout: Layout;
  spatialDims: SpatialDims;
  range: [number, number] | null;
  per: Per;
  shard: Shard | null;
  /** For a sharded fit, the whole sorted list: a file added anywhere moves files between shards. */
  list: { files: number; sha256: string } | null;
  source: StatsSource;
}

export interface FitCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  settings: CheckpointSettings;
  files: {
    /** Files in this fit's (sharded) list. */
    total: number;
    /** The first `done` files of the sorted list have been counted. */
    done: number;
    /** SHA-256 (hex) of those `done` paths, each followed by "\n". */
    digest: string;
    /** The last path counted, for people reading the file. */
    last: string | null;
  };
  /** Partial moments (null before the first file). */
  state: AccumulatorState | null;
  /** When the checkpoint was written (ISO 8601). */
  updatedAt: string;
}

/** A checkpoint as read back: settings and state are checked when the fit resumes from it. */
export interface StoredCheckpoint extends Omit<FitCheckpoint, 'settings' | 'state'> {
  settings: Record<string, unknown>;
  state: unknown;
}

/** A running SHA-256 over counted paths; `digest()` does not end it. */
export class PathDigest {
  private readonly hash: Hash = createHash('sha256');

  add(path: string): void {
    this.hash.update(`${path}\n`, 'utf8');
  }

  digest(): string {
    return this.hash.copy().digest('hex');
  }
}

/**
 * Reads a checkpoint; null when the file does not exist yet.
 * @throws PixelprepError E_IO when it exists but cannot be read, E_FORMAT when it is not a valid checkpoint.
 */
export async function readCheckpoint(path: string): Promise<StoredCheckpoint | null> {
  let text: string;
  try {
    text = await readRegularText(path, 'a readable checkpoint');
  } catch (error) {
    if (error instanceof PixelprepError && isNodeError(error.cause) && error.cause.code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PixelprepError('E_FORMAT', `Expected ${path} to hold a JSON checkpoint but it does not parse (${reason}); delete it to start the fit over`, { cause: error });
  }
  return withPrefix(path, () => checkCheckpoint(json));
}

/** Writes a checkpoint atomically. @throws PixelprepError E_IO when it cannot be written. */
export async function writeCheckpoint(path: string, checkpoint: FitCheckpoint): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(checkpoint, null, 2)}\n`);
}

/**
 * Restores the accumulator and digest of a checkpoint for a fit over `paths` with `settings`.
 * @throws PixelprepError E_ARGUMENT when the settings differ or the counted files are not the first `done` of `paths`.
 */
export function resumeFrom(
  checkpoint: StoredCheckpoint,
  path: string,
  paths: readonly string[],
  settings: CheckpointSettings,
  options: AccumulatorOptions,
): { accumulator: StatsAccumulator; digest: PathDigest; done: number } {
  for (const key of Object.keys(settings) as (keyof CheckpointSettings)[]) {
    if (!isDeepStrictEqual(checkpoint.settings[key], settings[key])) {
      throw new PixelprepError(
        'E_ARGUMENT',
        `Expected the checkpoint ${path} to come from a fit with the same ${key} but it has ${JSON.stringify(checkpoint.settings[key])} and this fit ${JSON.stringify(settings[key])}; use the same settings or delete the checkpoint to start over`,
      );
    }
  }
  const { done, digest: expected } = checkpoint.files;
  const digest = new PathDigest();
  if (done > paths.length) {
    throw new PixelprepError('E_ARGUMENT', `Expected at least ${done} files (the checkpoint ${path} has counted ${done}) but this fit lists ${paths.length}; the file list changed`);
  }
  for (let i = 0; i < done; i++) digest.add(paths[i]);
  if (digest.digest() !== expected) {
    throw new PixelprepError(
      'E_ARGUMENT',
      `Expected the ${done} files counted in the checkpoint ${path} (the last was ${JSON.stringify(checkpoint.files.last)}) to be the first ${done} of this fit's sorted list, but they are not: files were added, removed or renamed among them. Fit again from scratch (delete the checkpoint) so that no file is counted twice or missed`,
    );
  }
  const accumulator = withPrefix(path, () => StatsAccumulator.restore(checkpoint.state, options));
  if ((checkpoint.state === null) !== (done === 0)) {
    throw new PixelprepError('E_FORMAT', `${path}: Expected partial statistics exactly when files have been counted, but done is ${done} and state is ${describe(checkpoint.state)}`);
  }
  return { accumulator, digest, done };
}

function checkCheckpoint(json: unknown): StoredCheckpoint {
  const bad = (field: string, expected: string, received: unknown): never => {
    throw new PixelprepError('E_FORMAT', `Expected ${expected} for ${field} in the checkpoint but received ${describe(received)}; delete it to start the fit over`);
  };
  if (!isPlainObject(json) || json.format !== CHECKPOINT_FORMAT) return bad('format', `'${CHECKPOINT_FORMAT}'`, isPlainObject(json) ? json.format : json);
  if (json.version !== CHECKPOINT_VERSION) bad('version', String(CHECKPOINT_VERSION), json.version);
  const { settings, files, state } = json;
  if (!isPlainObject(settings)) return bad('settings', 'an object', settings);
  if (!isPlainObject(files)) return bad('files', 'an object', files);
  const { total, done, digest, last } = files;
  if (!isInteger(total) || total < 0) bad('files.total', 'a non-negative integer', total);
  if (!isInteger(done) || done < 0 || done > (total as number)) bad('files.done', `an integer in [0, ${String(total)}]`, done);
  if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) bad('files.digest', 'a SHA-256 hex digest', digest);
  if (last !== null && typeof last !== 'string') bad('files.last', 'a path or null', last);
  if (state !== null && !isPlainObject(state)) bad('state', 'an object or null', state);
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    settings,
    files: { total: total as number, done: done as number, digest: digest as string, last: last as string | null },
    state,
    updatedAt: typeof json.updatedAt === 'string' ? json.updatedAt : '',
  };
}

const isNodeError = (error: unknown): error is NodeJS.ErrnoException => error instanceof Error && 'code' in error;
