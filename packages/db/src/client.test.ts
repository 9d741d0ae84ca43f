import { adminUrl } from '@dutch/testkit';
import { describe, expect, it } from 'vitest';
import { createDb } from './client.ts';

describe('createDb', () => {
  it('sets the session settings asked for: statement timeout, and synchronous_commit off only for asyncCommit', async () => {
    const durable = createDb(adminUrl(), { max: 1, statementTimeoutMs: 1234 });
    const reads = createDb(adminUrl(), { max: 1, asyncCommit: true });
    try {
      const [durableSettings] = await durable.sql`
        select current_setting('synchronous_commit') as commit, current_setting('statement_timeout') as timeout`;
      const [readSettings] = await reads.sql`select current_setting('synchronous_commit') as commit`;
      expect(durableSettings).toEqual({ commit: 'on', timeout: '1234ms' });
      expect(readSettings).toEqual({ commit: 'off' });
    } finally {
      await Promise.all([durable.close(), reads.close()]);
    }
  });
});
