import {
  type PeerGateway,
  readSseEvents,
  startPeerGateway,
  startTestGateway,
  type TestGateway,
  waitFor,
} from '@dutch/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../app.ts';
import { draftFor, publishNotify, store } from './notification-fixtures.test-util.ts';

let t: TestGateway;
/** A second gateway on the same Redis, Postgres and key prefix (another process, in effect). */
let other: PeerGateway;

beforeAll(async () => {
  t = await startTestGateway({ SSE_MAX_CONNECTIONS_PER_CLIENT: '4' });
  other = await startPeerGateway(t);
});
afterAll(async () => {
  await other.close();
  await t.close();
});

type Stream = ReturnType<typeof readSseEvents>;
const open: Stream[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  // Slots come back as each stream ends: the next test starts with all of them.
  const gone = async () => t.gateway.connections.size === 0 && other.gateway.connections.size === 0;
  await waitFor(gone, 5_000, 'every stream closed');
});

/** Opens a member's stream and waits until it follows the inbox (its `: connected` comment). */
async function follow(token: string, lastEventId?: string, gateway: Gateway = t.gateway): Promise<Stream> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  const response = await gateway.app.request('/members/me/events', { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const stream = readSseEvents(response);
  open.push(stream);
  await waitFor(async () => stream.comments.includes(': connected'), 5_000, 'the stream to follow the inbox');
  return stream;
}

const idsOf = (stream: Stream) => stream.events.map((e) => e.id);
/** A moment for anything wrongly sent to arrive. */
const settleDown = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('GET /members/me/events', () => {
  it('resumes after Last-Event-ID with exactly what was missed, oldest first, then goes live', async () => {
    const me = await t.signUp('me');
    const someone = await t.signUp('someone');
    const seen = await store(t, [draftFor(me.id)]);
    const missed = await store(t, [draftFor(me.id, 'receipt'), draftFor(someone.id), draftFor(me.id, 'rebate')]);
    const mine = [missed[0], missed[2]];

    const stream = await follow(me.token, seen[0]);
    await waitFor(async () => stream.events.length >= 2, 5_000, 'the missed notifications');
    expect(idsOf(stream)).toEqual(mine);
    expect(stream.events.every((e) => e.event === 'notification')).toBe(true);
    const listed = (await t.request('GET', '/members/me/notifications', { token: me.token })).body.items;
    expect(stream.events.map((e) => e.data)).toEqual(listed.slice(0, 2).reverse());

    const [live] = await store(t, [draftFor(me.id, 'receipt')], true);
    await waitFor(async () => stream.events.length === 3, 5_000, 'the live notification');
    expect(stream.events[2]).toMatchObject({ event: 'notification', id: live, data: { id: live, kind: 'receipt' } });
    // A repeated nudge, or one for someone else, sends nothing twice.
    await publishNotify(t, [me.id, someone.id]);
    await settleDown();
    expect(idsOf(stream)).toEqual([...mine, live]);

    const caughtUp = await follow(me.token, live);
    await settleDown();
    expect(caughtUp.events).toEqual([]);
    const fromStart = await follow(me.token, '0');
    await waitFor(async () => fromStart.events.length === 4, 5_000, 'the whole inbox');
    expect(idsOf(fromStart)).toEqual([seen[0], ...mine, live]);
  });

  it('without Last-Event-ID sends nothing stored before, only what comes after', async () => {
    const me = await t.signUp('me');
    await store(t, [draftFor(me.id), draftFor(me.id)]);
    const stream = await follow(me.token);
    await settleDown();
    expect(stream.events).toEqual([]);
    const [fresh] = await store(t, [draftFor(me.id)], true);
    await waitFor(async () => stream.events.length === 1, 5_000, 'the new notification');
    expect(idsOf(stream)).toEqual([fresh]);
    expect(stream.comments).toContain(': heartbeat');
  });

  it('sends a long resume in order, once each, while new notifications and nudges arrive during it', async () => {
    const me = await t.signUp('me');
    const before = await store(
      t,
      Array.from({ length: 250 }, () => draftFor(me.id)),
    );
    const response = await t.gateway.app.request('/members/me/events', {
      headers: { authorization: `Bearer ${me.token}`, 'last-event-id': '0' },
    });
    const stream = readSseEvents(response);
    open.push(stream);
    const during: string[] = [];
    for (let i = 0; i < 10; i++) during.push(...(await store(t, [draftFor(me.id), draftFor(me.id)], true)));
    const all = [...before, ...during];
    await waitFor(async () => stream.events.length >= all.length, 10_000, 'every notification');
    await publishNotify(t, [me.id]);
    await settleDown();
    expect(idsOf(stream)).toEqual(all);
  });

  it('delivers live through every gateway to its own streams, each once, and to nobody else', async () => {
    const me = await t.signUp('me');
    const someone = await t.signUp('someone');
    const here = await follow(me.token);
    const there = await follow(me.token, undefined, other.gateway);
    const theirs = await follow(someone.token, undefined, other.gateway);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(...(await store(t, [draftFor(me.id)], true)));
    await waitFor(async () => here.events.length === 3 && there.events.length === 3, 5_000, 'both streams');
    await settleDown();
    expect(idsOf(here)).toEqual(ids);
    expect(idsOf(there)).toEqual(ids);
    expect(theirs.events).toEqual([]);
  });

  it('reads every inbox again once a lost subscription is back: a nudge missed meanwhile costs nothing', async () => {
    const me = await t.signUp('me');
    const stream = await follow(me.token, undefined, other.gateway);
    // The second gateway's subscription drops; a nudge published meanwhile never reaches it.
    other.subscriber.disconnect(true);
    const [missed] = await store(t, [draftFor(me.id)], true);
    await waitFor(async () => stream.events.length === 1, 10_000, 'the notification after resubscribing');
    expect(idsOf(stream)).toEqual([missed]);
  });

  it('refuses a token in the URL with 400, and never uses it', async () => {
    const me = await t.signUp('me');
    const paths = [
      `/members/me/events?token=${me.token}`,
      `/members/me/events?access_token=${me.token}`,
      `/members/me/events?t=${me.token}`,
      '/members/me/events?lastEventId=3',
    ];
    for (const path of paths) {
      const variants: Record<string, string>[] = [{}, { authorization: `Bearer ${me.token}` }];
      for (const headers of variants) {
        const response = await t.gateway.app.request(path, { headers });
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect([response.status, body.error.code], path).toEqual([400, 'INVALID_REQUEST']);
        expect(body.error.message).not.toContain(me.token);
      }
    }
    const tokenMessage = await t.gateway.app.request(`/members/me/events?token=${me.token}`);
    expect(((await tokenMessage.json()) as { error: { message: string } }).error.message).toMatch(/Authorization/);
    expect((await t.gateway.app.request('/members/me/events')).status).toBe(401);
    const badResume = await t.gateway.app.request('/members/me/events', {
      headers: { authorization: `Bearer ${me.token}`, 'last-event-id': 'abc' },
    });
    expect(badResume.status).toBe(400);
  });

  it('counts its streams on /metrics, caps them per client address, and forgets closed ones', async () => {
    const me = await t.signUp('me');
    const base = await gauge('dutch_member_streams');
    const feeds = await gauge('dutch_member_feeds');
    const streams = await Promise.all(Array.from({ length: 4 }, () => follow(me.token)));
    expect(await gauge('dutch_member_streams')).toBe(base + 4);
    expect(await gauge('dutch_member_feeds')).toBe(feeds + 1);
    const refused = await t.gateway.app.request('/members/me/events', {
      headers: { authorization: `Bearer ${me.token}` },
    });
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '5']);
    await Promise.all(streams.map((s) => s.close()));
    await waitFor(async () => (await gauge('dutch_member_streams')) === base, 5_000, 'every stream gone');
    expect(await gauge('dutch_member_feeds')).toBe(feeds);
    await follow(me.token);
  });
});

/** A gauge of this gateway as an operator reads it, on /metrics. */
async function gauge(name: string): Promise<number> {
  const reply = await t.request('GET', '/metrics');
  const line = String(reply.body)
    .split('\n')
    .find((sample) => sample.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}
