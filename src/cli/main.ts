#!/usr/bin/env node
/** Entry point of the `pixelprep` command. Exit codes: 0 ok, 1 failure, 2 usage error, 129/130/143 signals, 141 stdout closed. */
import * as tf from '@tensorflow/tfjs-core';
import { EXIT_OK, exitCodeOf } from './exit_codes.js';
import { installSignalHandlers } from './interrupt.js';
import { handleStdoutErrors } from './output.js';
import { createProgram } from './program.js';
import { reportError } from './report_error.js';

// tfjs prints a banner about tfjs-node on first use unless in production mode.
tf.env().set('PROD', true);

async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  handleStdoutErrors();
  installSignalHandlers();
  try {
    const program = createProgram();
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    const code = exitCodeOf(error);
    // commander has already printed its own usage errors (and help/version output).
    if (!(error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('commander.'))) reportError(error, verbose);
    return code;
  }
}

process.exitCode = await main(process.argv.slice(2));
