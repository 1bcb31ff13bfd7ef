/** The package's own package.json and bundled files, found relative to this module (src/cli or dist/cli). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../../', import.meta.url);

/** The version in package.json. */
export function packageVersion(): string {
  const json: unknown = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
  return typeof json === 'object' && json !== null && 'version' in json && typeof json.version === 'string' ? json.version : 'unknown';
}

/** The folder of bundled sample photographs. */
export const samplesDirectory = (): string => fileURLToPath(new URL('samples/', ROOT));
