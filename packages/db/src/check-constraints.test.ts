import { GENDERS, LEDGER_KINDS, SETTLED_RECEIPT_STATUSES } from '@dutch/domain';
import { createTestDatabase, type TestDatabase } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** The quoted values of a migrated check constraint, as Postgres itself reports its definition. */
async function checkedValues(name: string): Promise<string[]> {
  const [row] = await db.sql<{ definition: string }[]>`
    select pg_get_constraintdef(oid) as definition from pg_constraint where conname = ${name}`;
  if (row === undefined) throw new Error(`no constraint ${name}`);
  return [...row.definition.matchAll(/'((?:[^']|'')*)'/g)].map((match) => (match[1] ?? '').replaceAll("''", "'"));
}

describe('check constraints', () => {
  it("allow exactly the domain's lists, in a migrated database", async () => {
    expect(await checkedValues('members_gender_known')).toEqual([...GENDERS]);
    expect(await checkedValues('receipts_status_known')).toEqual([...SETTLED_RECEIPT_STATUSES]);
    expect(await checkedValues('points_ledger_kind_known')).toEqual([...LEDGER_KINDS]);
  });

  it('refuse a value outside the list', async () => {
    await expect(db.sql`insert into members (name, gender) values ('x', 'robot')`).rejects.toThrow(
      /members_gender_known/,
    );
  });
});
