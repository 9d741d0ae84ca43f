import { randomBytes } from 'node:crypto';
import { migrate } from '@dutch/db';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { adminUrl, databaseUrl } from './urls.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}

/**
 * Migrates one template database per run; every test file clones its own database from it
 * (CREATE DATABASE ... TEMPLATE is a file copy, far faster than migrating again).
 */
export default async function setup(project: TestProject) {
  const template = `dutch_tpl_${randomBytes(4).toString('hex')}`;
  await migrate(databaseUrl(template));
  project.provide('pgTemplate', template);

  return async () => {
    const sql = postgres(adminUrl(), { max: 1, onnotice: () => {} });
    try {
      await sql`drop database if exists ${sql(template)} with (force)`;
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
}
