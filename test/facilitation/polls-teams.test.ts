import { POLL_PREFIX } from '../../src/core/facilitation/polls/poll-store';
import type { App } from '../../src/app/create-app';
import { postJson } from '../support/app-harness';
import { startFakeConnector } from '../teams/card-support';
import { APP_START_BUDGET_MS, BOT, CHANNEL, cardOf, cardText, channelMessage, FAY, startCohortApp } from '../cohorts/cohort-harness';

jest.setTimeout(APP_START_BUDGET_MS);

const MEMBERS = Array.from({ length: 6 }, (_, i) => ({ id: `29:member-${i + 1}`, name: `Member Number${i + 1}`, aadObjectId: `aad-member-${i + 1}` }));
/** The channel thread the poll card is posted in (Teams names the thread in the conversation id). */
const THREAD = `${CHANNEL};messageid=1700000000001`;

describe('a facilitator poll in a Teams channel (POST /api/messages, recorded connector)', () => {
  let app: App;
  let url: string;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  beforeAll(async () => {
    connector = await startFakeConnector();
    ({ app, url } = await startCohortApp({ FACILITATORS: 'aad-fay', LOCAL_SERVICE_URLS: connector.serviceUrl }));
  });
  afterAll(async () => {
    await app?.stop();
    await connector?.close();
  });

  const invoke = (from: Record<string, string>, data: { command: string; args: Record<string, string> }, replyToId: string) =>
    postJson(`${url}/api/messages`, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: `invoke-${from.id}-${Date.now()}-${Math.random()}`,
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      from,
      recipient: BOT,
      conversation: { id: THREAD, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
      channelData: { channel: { id: CHANNEL }, team: { id: '19:team@thread.tacv2' }, tenant: { id: 'tenant-1' } },
      locale: 'en-US',
      replyToId,
      value: { action: { type: 'Action.Execute', verb: data.command, data }, trigger: 'manual' },
    });

  it('updates ONE card with PUTs for 6 votes, shows results only from the 5th, and stores no member id', async () => {
    const created = await postJson(`${url}/api/messages`, {
      ...channelMessage(connector.serviceUrl, 'poll "Which step is hardest?" "Data" "Skills" "Procurement"', FAY, CHANNEL),
      conversation: { id: THREAD, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
      deliveryMode: undefined,
    });
    expect(created.status).toBe(200);
    const posts = connector.calls.filter((c) => c.method === 'POST' && c.url.includes('/activities'));
    expect(posts).toHaveLength(1);
    const pollCard = cardOf(posts[0].body);
    expect(cardText(pollCard)).toContain('Which step is hardest?');
    expect(cardText(pollCard)).toMatch(/0 votes so far/);
    const cardId = `sent-${connector.calls.indexOf(posts[0]) + 1}`;
    const voteData = (answer: string) => {
      const json = JSON.stringify(pollCard);
      const poll = /"poll":"([^"]+)"/.exec(json)![1];
      return { command: 'poll.vote', args: { poll, answer } };
    };

    const before = connector.calls.length;
    const notes: string[] = [];
    for (const [i, member] of MEMBERS.entries()) {
      const res = await invoke(member, voteData(String((i % 3) + 1)), cardId);
      expect(res.status).toBe(200);
      // The voter alone sees that the vote counted (the invoke's message response).
      notes.push(res.body.value);
    }
    expect(notes.every((n) => /Your vote counted/.test(n))).toBe(true);
    const after = connector.calls.slice(before);
    // Every vote updated the one card in place; nothing new was posted to the channel.
    expect(after.filter((c) => c.method === 'POST')).toEqual([]);
    const puts = after.filter((c) => c.method === 'PUT');
    expect(puts).toHaveLength(6);
    for (const put of puts) expect(decodeURIComponent(put.url)).toBe(`/v3/conversations/${THREAD}/activities/${cardId}`);
    const texts = puts.map((p) => cardText(cardOf(p.body)));
    expect(texts.slice(0, 4).map((t) => /(\d) votes? so far/.exec(t)?.[1])).toEqual(['1', '2', '3', '4']);
    for (const t of texts.slice(0, 4)) expect(t).not.toMatch(/\d+%/);
    expect(texts[4]).toMatch(/40%/);
    expect(texts[5]).toMatch(/33%/);
    expect(texts[5]).toMatch(/6 votes\./);

    // The stored poll holds no member id, Entra id, name or learner key.
    const keys = await app.storage.list(POLL_PREFIX);
    expect(keys).toHaveLength(1);
    const raw = JSON.stringify(await app.storage.read(keys[0]));
    for (const m of MEMBERS) for (const s of [m.id, m.aadObjectId, m.name, `learner:msteams:${m.aadObjectId}`]) expect(raw).not.toContain(s);

    // A member pressing Close is refused privately; the facilitator's Close updates the same card.
    const closeData = { command: 'poll.close', args: { poll: voteData('1').args.poll } };
    const refused = await invoke(MEMBERS[0], closeData, cardId);
    expect(refused.body.value).toMatch(/only the course facilitators/);
    expect(connector.calls.length).toBe(before + 6);
    const closed = await invoke(FAY, closeData, cardId);
    expect(closed.body.value).toMatch(/The poll is closed/);
    const finalPut = connector.calls[connector.calls.length - 1];
    expect(finalPut.method).toBe('PUT');
    const finalCard = cardOf(finalPut.body);
    expect(cardText(finalCard)).toMatch(/This poll is closed\. 6 people voted/);
    expect(JSON.stringify(finalCard)).not.toContain('poll.vote');
    // A late vote changes nothing.
    const late = await invoke(MEMBERS[5], voteData('1'), cardId);
    expect(late.body.value).toMatch(/closed, so your vote was not counted/);
  });

  it('a vote from an older client (Action.Submit, a message) also updates the card in place, and its confirmation is not posted to the channel', async () => {
    await postJson(`${url}/api/messages`, {
      ...channelMessage(connector.serviceUrl, 'poll "Coffee or tea?" "Coffee" "Tea"', FAY, CHANNEL),
      conversation: { id: THREAD, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
      deliveryMode: undefined,
    });
    const post = connector.calls[connector.calls.length - 1];
    expect(post.method).toBe('POST');
    const cardId = `sent-${connector.calls.length}`;
    const poll = /"poll":"([^"]+)"/.exec(JSON.stringify(post.body))![1];
    const before = connector.calls.length;
    const res = await postJson(`${url}/api/messages`, {
      type: 'message',
      id: `submit-${Date.now()}`,
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      from: MEMBERS[0],
      recipient: BOT,
      conversation: { id: THREAD, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
      channelData: { channel: { id: CHANNEL }, tenant: { id: 'tenant-1' } },
      locale: 'en-US',
      replyToId: cardId,
      value: { command: 'poll.vote', args: { poll, answer: '2' } },
    });
    expect(res.status).toBe(200);
    const calls = connector.calls.slice(before);
    expect(calls.map((c) => c.method)).toEqual(['PUT']);
    expect(decodeURIComponent(calls[0].url)).toBe(`/v3/conversations/${THREAD}/activities/${cardId}`);
    expect(cardText(cardOf(calls[0].body))).toMatch(/1 vote so far/);
  });
});
