/**
 * The `source` record of a stats file: what produced the statistics. Checked
 * field by field; fields this version does not know are kept when they are
 * plain JSON, so files written by a newer pixelprep still load.
 */
import type { ErrorCode } from '../core/errors.js';
import { LAYOUTS, SPATIAL_DIMS } from '../core/layout.js';
import type { JsonValue, StatsSource } from '../core/pixel_stats.js';
import { fail, isInteger, isNumber, isOneOf, isPlainObject } from '../core/validate.js';
import { parseDigest } from './content_digest.js';

/** True when `value` is made only of JSON values (finite numbers, strings, booleans, null, arrays, plain objects). */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1));
  if (isPlainObject(value)) return Object.values(value).every((v) => isJsonValue(v, depth + 1));
  return false;
}

/**
 * Checks a StatsSource and returns a deep copy.
 * @throws PixelprepError with `code`, naming the field, when a field is malformed.
 */
export function checkSource(value: unknown, name: string, code: ErrorCode): StatsSource {
  if (!isPlainObject(value)) return fail(code, name, 'an object describing what produced the statistics', value);
  const { layout, spatialDims, range, resize, shard, files, bitDepth, digest, parts } = value;
  if (layout !== undefined && !isOneOf(layout, LAYOUTS)) fail(code, `${name}.layout`, `one of ${LAYOUTS.map((l) => `'${l}'`).join(', ')}`, layout);
  if (spatialDims !== undefined && !isOneOf(spatialDims, SPATIAL_DIMS)) fail(code, `${name}.spatialDims`, '2 or 3', spatialDims);
  if (range !== undefined && !(Array.isArray(range) && range.length === 2 && isNumber(range[0]) && isNumber(range[1]) && range[0] < range[1])) {
    fail(code, `${name}.range`, 'a pair [low, high] of finite numbers with low < high', range);
  }
  if (resize !== undefined && !(isPlainObject(resize) && isJsonValue(resize))) fail(code, `${name}.resize`, 'an object of JSON values', resize);
  if (shard !== undefined) checkShardRecord(shard, `${name}.shard`, code);
  if (files !== undefined && !(isInteger(files) && files >= 0)) fail(code, `${name}.files`, 'a non-negative integer', files);
  if (bitDepth !== undefined && bitDepth !== 8 && bitDepth !== 16 && bitDepth !== 'mixed') fail(code, `${name}.bitDepth`, "8, 16 or 'mixed'", bitDepth);
  if (digest !== undefined && parseDigest(digest) === null) fail(code, `${name}.digest`, 'a content digest of 16 hex digits', digest);
  if (parts !== undefined && !(Array.isArray(parts) && parts.length > 0 && parts.every((p) => parseDigest(p) !== null))) {
    fail(code, `${name}.parts`, 'a non-empty list of content digests of 16 hex digits', parts);
  }
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined && !isJsonValue(field)) fail(code, `${name}.${key}`, 'a JSON value (number, string, boolean, null, array or object)', field);
  }
  const copy: Record<string, JsonValue> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) copy[key] = structuredClone(field as JsonValue);
  return copy as StatsSource;
}

function checkShardRecord(value: unknown, name: string, code: ErrorCode): void {
  if (!isPlainObject(value)) return fail(code, name, 'an object { count, indices }', value);
  const { count, indices } = value;
  if (!isInteger(count) || count < 1) fail(code, `${name}.count`, 'a positive integer', count);
  const ok =
    Array.isArray(indices) &&
    indices.length > 0 &&
    indices.every((i, k) => isInteger(i) && i >= 0 && i < count && (k === 0 || i > (indices[k - 1] as number)));
  if (!ok) fail(code, `${name}.indices`, `a non-empty increasing list of shard indices in [0, ${count})`, indices);
}
