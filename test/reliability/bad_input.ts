/** What every catalogue entry checks: one PixelprepError, its code, and a message saying what was expected and what arrived. */
import { expect } from 'vitest';
import { PixelprepError, type ErrorCode } from '../../src/index.js';

/** One bad input and the error it must get. */
export interface BadInput {
  name: string;
  run: () => unknown;
  code: ErrorCode;
  /** What the message must say besides "Expected ... but ...". */
  message: RegExp;
}

/** Runs `run` (sync or async) and returns what it threw or rejected with; fails the test when it returned. */
export async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a PixelprepError but the call returned');
}

/**
 * Expects a PixelprepError with `code` whose message follows the one form,
 * "Expected <what> ... but <what arrived>", and matches `message`.
 */
export function expectBadInput(error: unknown, code: ErrorCode, message: RegExp): PixelprepError {
  expect(error).toBeInstanceOf(PixelprepError);
  const e = error as PixelprepError;
  expect({ code: e.code, message: e.message }).toMatchObject({ code, message: expect.stringMatching(message) });
  expect(e.message).toMatch(/Expected .+ but /s);
  return e;
}
