import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertPostgresFixed,
  findPostgresFixProblem,
  locatePostgresConnectionFiles,
  PostgresFixMissingError,
} from './postgres-fix.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PATCH = join(ROOT, 'patches', 'postgres+3.4.9.patch');
const BUILDS = ['src', 'cjs/src', 'cf/src'].map((dir) => `node_modules/postgres/${dir}/connection.js`);

/**
 * Upstream's connection.js: copies of the installed files, with our patch reversed unless they are
 * already the code it applies to (an unpatched install), so the check is tried on exactly what an
 * install without patch-package would load.
 */
function writeUnpatchedCopies(): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'postgres-unpatched-'));
  for (const build of BUILDS) {
    mkdirSync(dirname(join(dir, build)), { recursive: true });
    copyFileSync(join(ROOT, build), join(dir, build));
  }
  if (!appliesCleanly(['--check', PATCH], dir)) execFileSync('git', ['apply', '-R', PATCH], { cwd: dir });
  const files = ['src', 'cjs/src'].map((build) => join(dir, 'node_modules/postgres', build, 'connection.js'));
  return { dir, files };
}

function appliesCleanly(args: string[], cwd: string): boolean {
  try {
    execFileSync('git', ['apply', ...args], { cwd, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the postgres.js fix check', () => {
  const unpatched = writeUnpatchedCopies();
  afterAll(() => rmSync(unpatched.dir, { recursive: true, force: true }));

  it('finds the fix in both builds node loads from the installed postgres.js', () => {
    const files = locatePostgresConnectionFiles();
    expect(files.map((file) => relative(ROOT, file))).toEqual([
      'node_modules/postgres/src/connection.js',
      'node_modules/postgres/cjs/src/connection.js',
    ]);
    expect(findPostgresFixProblem()).toBeNull();
    expect(() => assertPostgresFixed()).not.toThrow();
  });

  it('refuses upstream postgres.js 3.4.9 with one line naming the files and the remedy', () => {
    const attempt = () => assertPostgresFixed(unpatched.files);
    expect(attempt).toThrow(PostgresFixMissingError);
    const message = findPostgresFixProblem(unpatched.files) ?? '';
    expect(message).not.toContain('\n');
    expect(message).toContain('porsager/postgres#1208');
    expect(message).toContain(unpatched.files.join(', '));
    expect(message).toContain('npm install');
    expect(message).toContain('patches/postgres+3.4.9.patch');
  });

  it('names only the build that lacks the fix, and a missing build counts as lacking it', () => {
    const [esm, cjs] = locatePostgresConnectionFiles();
    const [unpatchedEsm] = unpatched.files;
    if (esm === undefined || cjs === undefined || unpatchedEsm === undefined) throw new Error('no builds');
    const missing = join(unpatched.dir, 'gone', 'connection.js');
    const message = findPostgresFixProblem([esm, unpatchedEsm, cjs, missing]) ?? '';
    expect(message).toContain(`in ${unpatchedEsm}, ${missing};`);
    expect(message).not.toContain(esm);
  });
});
