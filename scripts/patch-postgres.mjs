#!/usr/bin/env node
/**
 * Applies an unreleased upstream fix to postgres.js (run by `npm install`, as postinstall).
 *
 * postgres.js 3.4.9 (the latest release) crashes the whole process when a connection closes
 * under a transaction: sql.begin() then writes ROLLBACK to the closed connection, the write is
 * deferred with setImmediate, and it dereferences the socket closed() set to null. The TypeError
 * is thrown from the immediate, where no try/catch can reach it (porsager/postgres#1154, #1208;
 * fix proposed in PR #1209, not released). Any Postgres restart, failover or killed backend in the
 * middle of a settlement took a consumer down (test/faults/postgres-outage.test.ts caught it).
 * Also, closed() and terminate() cancel a pending deferred write without forgetting it, which
 * leaves the connection unable to write ever again after it reconnects.
 *
 * The fix: a deferred write to a closed connection fails its queries with CONNECTION_CLOSED
 * instead of throwing (and lets go of them, so sql.end() does not wait for them), and closing
 * forgets the pending write. Idempotent; it says so and does
 * nothing when the installed version no longer has the defect. Remove once a release fixes it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = 'patched by dutch-auction: porsager/postgres#1208';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'postgres');
const variants = ['src', 'cjs/src', 'cf/src'].map((dir) => join(root, dir, 'connection.js')).filter(existsSync);

const NEXT_WRITE = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
const NEXT_WRITE_FIXED = `  function nextWrite(fn) {
    if (socket === null) { // ${MARK}
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      query = null
      return false
    }
    const x = socket.write(chunk, fn)`;
const FORGET = '    clearImmediate(nextWriteTimer)\n';
const FORGET_FIXED = `    clearImmediate(nextWriteTimer)\n    nextWriteTimer = chunk = null // ${MARK}\n`;

let patched = 0;
for (const file of variants) {
  const source = readFileSync(file, 'utf8');
  if (source.includes(MARK)) continue;
  if (!source.includes(NEXT_WRITE) || source.split(FORGET).length !== 3) {
    console.warn(`patch-postgres: ${file} is not the code this patch fixes (postgres.js updated?); left as it is`);
    continue;
  }
  writeFileSync(file, source.replace(NEXT_WRITE, NEXT_WRITE_FIXED).replaceAll(FORGET, FORGET_FIXED));
  patched++;
}
if (patched > 0) console.log(`patch-postgres: fixed the closed-connection crash in ${patched} postgres.js build(s)`);
