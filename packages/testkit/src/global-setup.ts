import { randomBytes } from 'node:crypto';
import { dropDatabase, migrate } from '@dutch/db';
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

  return () => dropDatabase(adminUrl(), template);
}
