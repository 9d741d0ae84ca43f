import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * postgres.js 3.4.9 crashes the process when a connection closes under a transaction
 * (porsager/postgres#1208); patches/postgres+3.4.9.patch fixes it and patch-package applies it at
 * `npm install`. patch-package only warns when a patch fails, and an install without it (a
 * copied node_modules, `--ignore-scripts`) is silent, so the engine checks before it connects:
 * running unpatched would turn the next Postgres restart into a dead consumer.
 */
export const POSTGRES_FIX_MARKER = 'patched by dutch-auction: porsager/postgres#1208';
/** The patch marks the guard in nextWrite() and the two places that forget a pending write. */
const MARKS_PER_FILE = 3;
const PATCH_FILE = 'patches/postgres+3.4.9.patch';

export class PostgresFixMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresFixMissingError';
    // The install is at fault, not the caller: the one line is the whole story.
    this.stack = `${this.name}: ${message}`;
  }
}

/** The connection.js of each build node can load: ESM (`import`) and CommonJS (`require`). */
export function locatePostgresConnectionFiles(): string[] {
  const root = findPackageRoot(createRequire(import.meta.url).resolve('postgres'));
  return ['src', 'cjs/src'].map((dir) => join(root, dir, 'connection.js'));
}

/** Null when every file carries the fix, else one line naming what lacks it and what to do. */
export function findPostgresFixProblem(files: readonly string[] = locatePostgresConnectionFiles()): string | null {
  const unfixed = files.filter((file) => !hasFix(file));
  if (unfixed.length === 0) return null;
  return (
    `postgres.js lacks the closed-connection fix (porsager/postgres#1208) in ${unfixed.join(', ')}; ` +
    `run \`npm install\` so that patch-package applies ${PATCH_FILE}`
  );
}

export function assertPostgresFixed(files?: readonly string[]): void {
  const problem = findPostgresFixProblem(files);
  if (problem !== null) throw new PostgresFixMissingError(problem);
}

let installVerified = false;

/** assertPostgresFixed() on the installed postgres.js, reading its files once per process. */
export function ensurePostgresFixed(): void {
  if (installVerified) return;
  assertPostgresFixed();
  installVerified = true;
}

function hasFix(file: string): boolean {
  if (!existsSync(file)) return false;
  return readFileSync(file, 'utf8').split(POSTGRES_FIX_MARKER).length - 1 >= MARKS_PER_FILE;
}

// The package's exports map hides its package.json, so walk up from the resolved entry point.
function findPackageRoot(entry: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'postgres') return dir;
  }
  throw new PostgresFixMissingError(`cannot find the postgres.js package above ${entry}`);
}
