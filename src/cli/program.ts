/** The `pixelprep` command line: every command registered on one commander program. */
import { Command } from 'commander';
import { registerApplyCommand } from './commands/apply.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerFitCommand } from './commands/fit.js';
import { registerInfoCommand } from './commands/info.js';
import { registerMergeCommand } from './commands/merge.js';
import { registerStatsCommand } from './commands/stats.js';
import { packageVersion } from './package_info.js';
import { ready } from '../backends/select.js';

/** Builds the program; errors are thrown (exitOverride), not printed by commander as exits. */
export function createProgram(): Command {
  const program = new Command('pixelprep')
    .description('Exact, fast pixel scaling for deep learning: statistics, dataset fits, scaling to .npy, and a walkthrough (pixelprep demo).')
    .version(packageVersion(), '-V, --version')
    .option('--json', 'print results as JSON on stdout')
    .option('--progress', 'show progress bars on stderr even when it is not a terminal')
    .option('--no-progress', 'never show progress bars')
    .option('--verbose', 'print stack traces with errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`pixelprep: ${text.replace(/^error: /, '')}`) });
  // PIXELPREP_BACKEND picks the backend for every command, as it does for the library's ready().
  program.hook('preAction', async () => {
    if (process.env.PIXELPREP_BACKEND) await ready();
  });
  registerStatsCommand(program);
  registerFitCommand(program);
  registerMergeCommand(program);
  registerApplyCommand(program);
  registerDemoCommand(program);
  registerInfoCommand(program);
  registerBenchCommand(program);
  for (const command of program.commands) command.exitOverride().configureOutput({ outputError: (text, write) => write(`pixelprep: ${text.replace(/^error: /, '')}`) });
  return program;
}
