import { CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext, type Activity } from 'botbuilder';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { ActivityRendererRegistry } from '../../src/channels/botframework/activity-renderer';
import { ConversationReferenceStore, learnerReferenceKey } from '../../src/channels/botframework/conversation-references';
import { BotFrameworkProactiveSender, parseRetryAfter } from '../../src/channels/botframework/proactive-sender';
import { learnerKey } from '../../src/core/learner';
import type { Reply } from '../../src/intents/reply';
import { createLocalizer } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logging/logger';
import { teamsCardRenderer } from '../../src/channels/botframework/adaptive-card-activity';
import { startFakeConnector } from './card-support';

const LEARNER = learnerKey('msteams', 'aad-ana');
const nudge: Reply = { intent: 'notice', lang: 'en', dir: 'ltr', title: 'Time for a short lesson', text: 'Five minutes today?', summary: 'Time for a short lesson' };

async function setup(respond: Parameters<typeof startFakeConnector>[0]) {
  const connector = await startFakeConnector(respond);
  const storage = new SqliteStorage(':memory:');
  await storage.open();
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const references = new ConversationReferenceStore(storage);
  const waits: number[] = [];
  const sender = new BotFrameworkProactiveSender({
    adapter,
    appId: '',
    references,
    renderers: new ActivityRendererRegistry().set(['msteams'], teamsCardRenderer),
    localizer: await createLocalizer(),
    logger: createLogger({ level: 'silent' }),
    retry: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 5000 },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  // The reference is stored the way the bot stores it: from a Teams activity in the learner's personal chat.
  const activity = {
    type: 'message',
    id: 'm1',
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    from: { id: '29:ana', name: 'Ana', aadObjectId: 'aad-ana' },
    recipient: { id: '28:bot', name: 'govai-coach' },
    conversation: { id: 'a:personal-ana', conversationType: 'personal', tenantId: 't1' },
    text: 'hello',
  } as Activity;
  await references.remember(new TurnContext(adapter, activity));
  return {
    connector,
    storage,
    references,
    sender,
    waits,
    close: async () => {
      await connector.close();
      await storage.close();
    },
  };
}

const posts = <T extends { method: string; url: string }>(calls: T[]) => calls.filter((c) => c.method === 'POST' && c.url.startsWith('/v3/conversations/a%3Apersonal-ana/activities'));

describe('proactive messages through the Bot Connector', () => {
  it("delivers a card to the learner's stored personal conversation after a 429", async () => {
    const env = await setup((_call, i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '0' } } : { status: 200 }));
    try {
      await expect(env.sender.sendToLearner(LEARNER, [nudge])).resolves.toBe('sent');
      const sent = posts(env.connector.calls);
      expect(sent).toHaveLength(2);
      expect(sent[1].body.attachments[0].content.body[0].text).toBe('Time for a short lesson');
    } finally {
      await env.close();
    }
  });

  it("keeps waiting out 429s with the server's Retry-After (bounded), then sends once", async () => {
    // The connector client retries a 429 three times itself; the fifth request succeeds only if we retry too.
    // The last throttled answer of each round asks for 2 s, then 10 min (more than the 5 s cap).
    const retryAfter = ['0', '0', '0', '2', '0', '0', '0', '600'];
    const env = await setup((_call, i) => (i < 8 ? { status: 429, headers: { 'Retry-After': retryAfter[i] } } : { status: 200 }));
    try {
      await expect(env.sender.sendToLearner(LEARNER, [nudge])).resolves.toBe('sent');
      expect(posts(env.connector.calls)).toHaveLength(9);
      expect(env.waits).toEqual([2000, 5000]);
    } finally {
      await env.close();
    }
  });

  it('gives up after a bounded number of attempts when the channel keeps throttling', async () => {
    const env = await setup(() => ({ status: 429, headers: { 'Retry-After': '0' } }));
    try {
      await expect(env.sender.sendToLearner(LEARNER, [nudge])).resolves.toBe('throttled');
      expect(env.waits).toHaveLength(2); // 3 attempts, 2 waits
      const stored = await env.references.read(learnerReferenceKey(LEARNER));
      expect(stored?.active).toBe(true); // throttling is not a reason to forget the learner
    } finally {
      await env.close();
    }
  });

  for (const status of [403, 404]) {
    it(`marks the reference inactive on ${status} and does not try again`, async () => {
      const env = await setup(() => ({ status }));
      try {
        await expect(env.sender.sendToLearner(LEARNER, [nudge])).resolves.toBe('inactive');
        expect(posts(env.connector.calls)).toHaveLength(1);
        expect(await env.references.read(learnerReferenceKey(LEARNER))).toMatchObject({ active: false, inactiveReason: `http_${status}` });
        await expect(env.sender.sendToLearner(LEARNER, [nudge])).resolves.toBe('inactive');
        expect(posts(env.connector.calls)).toHaveLength(1);
      } finally {
        await env.close();
      }
    });
  }

  it('reports a learner with no stored conversation', async () => {
    const env = await setup(() => ({ status: 200 }));
    try {
      await expect(env.sender.sendToLearner(learnerKey('msteams', 'someone-else'), [nudge])).resolves.toBe('no-conversation');
      expect(env.connector.calls).toHaveLength(0);
    } finally {
      await env.close();
    }
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 18:00:10 GMT', Date.parse('Sat, 28 Nov 2026 18:00:00 GMT'))).toBe(10000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
