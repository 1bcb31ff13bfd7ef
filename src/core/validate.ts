/**
 * Type-guard predicates and the one way to report bad input:
 * "Expected <what> for <name> but received <value>".
 */
import { PixelprepError, type ErrorCode } from './errors.js';

export const isDefined = <T>(value: T | undefined | null): value is T => value !== undefined && value !== null;
export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isInteger = (value: unknown): value is number => Number.isInteger(value);
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  Object.prototype.toString.call(value) === '[object Object]' &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);
export const isOneOf = <T extends string | number>(value: unknown, allowed: readonly T[]): value is T =>
  allowed.includes(value as T);

/** A short, safe description of any value for an error message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}' of type string`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${String(value)} of type ${typeof value}`;
  }
  if (Array.isArray(value)) {
    const head = value.slice(0, 6).map((v) => (typeof v === 'number' ? String(v) : typeof v)).join(', ');
    return `an array of length ${value.length} [${head}${value.length > 6 ? ', ...' : ''}]`;
  }
  if (ArrayBuffer.isView(value)) return `${/^[AEIOU]/.test(value.constructor.name) ? 'an' : 'a'} ${value.constructor.name} of ${'length' in value ? `length ${String(value.length)}` : `${value.byteLength} bytes`}`;
  if (typeof value === 'function') return 'a function';
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
}

/** Throws "Expected <expected> for <name> but received <describe(received)>". */
export function fail(code: ErrorCode, name: string, expected: string, received: unknown): never {
  throw new PixelprepError(code, `Expected ${expected} for ${name} but received ${describe(received)}`);
}

/** Returns `value` when it is one of `allowed`, `fallback` when undefined (required without one), else throws E_ARGUMENT. */
export function oneOf<T extends string | number>(name: string, value: unknown, allowed: readonly T[], fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!isOneOf(value, allowed)) fail('E_ARGUMENT', name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  return value;
}

/** Returns a finite number (or `fallback` when undefined), else throws E_ARGUMENT. */
export function finiteNumber(name: string, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!isNumber(value)) fail('E_ARGUMENT', name, 'a finite number', value);
  return value;
}

/** Returns a strictly positive finite number (or `fallback` when undefined). */
export function positiveNumber(name: string, value: unknown, fallback?: number): number {
  const n = finiteNumber(name, value, fallback);
  if (n <= 0) fail('E_ARGUMENT', name, 'a positive finite number', value);
  return n;
}

/** Returns `[lo, hi]` with finite lo < hi (or `fallback` when undefined). */
export function numberRange(name: string, value: unknown, fallback?: readonly [number, number]): [number, number] {
  if (value === undefined && fallback !== undefined) return [fallback[0], fallback[1]];
  if (!Array.isArray(value) || value.length !== 2 || !isNumber(value[0]) || !isNumber(value[1]) || !(value[0] < value[1])) {
    fail('E_ARGUMENT', name, 'a pair [low, high] of finite numbers with low < high', value);
  }
  return [value[0], value[1]];
}

/** Rejects keys that are not in `known`, catching typos such as `{ methd: ... }`. */
export function knownKeys(name: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      fail('E_ARGUMENT', name, `options among ${known.map((k) => `'${k}'`).join(', ')}`, key);
    }
  }
}
