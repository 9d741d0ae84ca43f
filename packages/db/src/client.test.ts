import { adminUrl } from '@dutch/testkit';
import { describe, expect, it } from 'vitest';
import { createDb } from './client.ts';

describe('createDb', () => {
  it('sets the session settings asked for: the statement timeout, with commits durable', async () => {
    const durable = createDb(adminUrl(), { max: 1, statementTimeoutMs: 1234 });
    try {
      const [settings] = await durable.sql`
        select current_setting('synchronous_commit') as commit, current_setting('statement_timeout') as timeout`;
      expect(settings).toEqual({ commit: 'on', timeout: '1234ms' });
    } finally {
      await durable.close();
    }
  });
});
