import { type Db, notifications } from '@dutch/db';
import { readSseEvents, startTestGateway, type TestGateway, waitFor } from '@dutch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftFor, publishNotify, store } from './notification-fixtures.test-util.ts';

/**
 * The member stream's ordering under races, made certain rather than left to timing: a read of
 * the inbox can be held after Postgres answered it (its snapshot taken), and a transaction can
 * be held open while a later one commits.
 */
let hold: Promise<void> | null = null;
let heldReads = 0;

/** The gateway's drizzle handle (the real database), whose inbox reads wait for `hold` once answered. */
function holdInboxReads(db: Db): Db {
  return new Proxy(db, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== 'select') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: Parameters<Db['select']>) => {
        const builder = target.select(...args);
        return new Proxy(builder, {
          get(inner, name) {
            const member = Reflect.get(inner, name, inner);
            if (name !== 'from') return typeof member === 'function' ? member.bind(inner) : member;
            return (table: unknown, ...rest: unknown[]) => {
              const query = (member as (...a: unknown[]) => object).call(inner, table, ...rest);
              return table === notifications ? heldAfterAnswer(query) : query;
            };
          },
        });
      };
    },
  });
}

/** A query builder whose every step stays wrapped, and whose answer waits for `hold` (when set). */
function heldAfterAnswer<T extends object>(query: T): T {
  const wrapped: T = new Proxy(query, {
    get(inner, name) {
      const member = Reflect.get(inner, name, inner);
      if (typeof member !== 'function') return member;
      if (name === 'then') {
        return (resolve: (v: unknown) => unknown, reject: (e: unknown) => unknown) =>
          (member as (f: (rows: unknown) => unknown) => Promise<unknown>)
            .call(inner, async (rows: unknown) => {
              const gate = hold;
              if (gate !== null) {
                heldReads++;
                await gate;
              }
              return rows;
            })
            .then(resolve, reject);
      }
      return (...args: unknown[]) => {
        const result = (member as (...a: unknown[]) => unknown).apply(inner, args);
        return result === inner ? wrapped : result;
      };
    },
  });
  return wrapped;
}

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({}, { wrapDb: holdInboxReads });
});
afterAll(async () => {
  await t.close();
});

async function follow(token: string, lastEventId: string) {
  const response = await t.gateway.app.request('/members/me/events', {
    headers: { authorization: `Bearer ${token}`, 'last-event-id': lastEventId },
  });
  expect(response.status).toBe(200);
  return readSseEvents(response);
}

describe('the member stream under races', () => {
  it('reads again for a nudge that arrives while a read is under way, so a notification stored then is sent', async () => {
    const me = await t.signUp('me');
    const [old] = await store(t, [draftFor(me.id)]);
    let release: () => void = () => {};
    hold = new Promise((resolve) => {
      release = resolve;
    });
    heldReads = 0;
    const stream = await follow(me.token, '0');
    // The resume read has its answer (the old notification only) and is held before sending it.
    await waitFor(async () => heldReads === 1, 5_000, 'the resume read');
    hold = null;
    const [fresh] = await store(t, [draftFor(me.id)], true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await waitFor(async () => stream.events.length === 2, 5_000, 'the notification stored during the read');
    expect(stream.events.map((e) => e.id)).toEqual([old, fresh]);
    await stream.close();
  });

  it('sends a notification committed behind an older running transaction once that ends, without another nudge', async () => {
    const me = await t.signUp('me');
    const someone = await t.signUp('someone');
    const stream = await follow(me.token, '0');
    await waitFor(async () => stream.comments.includes(': connected'), 5_000, 'the stream');
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let begun: () => void = () => {};
    const open = new Promise<void>((resolve) => {
      begun = resolve;
    });
    // An older transaction (it has written, so it has its id) stays open, as a slow settlement would.
    const older = t.db.sql.begin(async (tx) => {
      await tx`insert into notifications (member_id, kind, auction_id, data, dedupe_key)
               values (${someone.id}, 'sold', gen_random_uuid(), '{}'::jsonb, 'held:1')`;
      begun();
      await finished;
    });
    await open;
    const [later] = await store(t, [draftFor(me.id)], true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // It could still be preceded by something the older transaction stores for me: not sent yet.
    expect(stream.events).toEqual([]);
    finish();
    await older;
    await waitFor(async () => stream.events.length === 1, 5_000, 'the held-back notification');
    expect(stream.events.map((e) => e.id)).toEqual([later]);
    await publishNotify(t, [me.id]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.events).toHaveLength(1);
    await stream.close();
  });
});
