/**
 * A slow disk for the signal tests, loaded into the CLI process with
 * `node --import <this file>`: opening the file named by
 * PIXELPREP_TEST_SLOW_FILE waits until `<that file>.release` exists (forever
 * if it never does), so a signal lands mid-fit at a known file. Pipes cannot
 * play this part: inputs that are not regular files are refused.
 */
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const slow = process.env.PIXELPREP_TEST_SLOW_FILE;
if (slow) {
  const original = fs.open;
  fs.open = async (path, ...rest) => {
    if (String(path) === slow) {
      while (!existsSync(`${slow}.release`)) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return original(path, ...rest);
  };
  syncBuiltinESMExports();
}
