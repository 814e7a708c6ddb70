import { SHARED_INDEX_DIR } from '../support/app-harness';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CloudAdapter } from 'botbuilder';
import { createApp, type App } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { DEFAULT_LIMITS, DirectLineConversationStore } from '../../src/channels/webchat/directline-conversations';
import { DirectLineTokens } from '../../src/channels/webchat/directline-tokens';
import { LANGUAGE_EVENT } from '../../src/channels/webchat/directline-endpoint';
import { localeString } from '../support/app-harness';
import { createBotAuthentication } from '../../src/channels/botframework/bot-authentication';
import { ServiceUrlPolicy } from '../../src/channels/botframework/service-url-policy';
import { CONNECTOR_KEY_HEADER, DIRECT_LINE_CONNECTOR_KEY } from '../../src/channels/webchat/directline-connector-key';

const repoRoot = path.resolve(__dirname, '..', '..');
const SECRET = 'test-directline-secret-0123456789';

type Activity = {
  type: string;
  id: string;
  text?: string;
  from: { id: string; role?: string };
  channelData?: Record<string, unknown>;
  attachments?: { contentType: string; content: { body?: unknown[] } }[];
};

async function startApp(env: Record<string, string>): Promise<{ app: App; url: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-directline-'));
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dir, INDEX_DIR: SHARED_INDEX_DIR, KNOWLEDGE_DIR: path.join(repoRoot, 'knowledge'), LOG_LEVEL: 'silent', ...env }, repoRoot);
  const app = await createApp(config, { logger: createLogger({ level: config.LOG_LEVEL }) });
  return { app, url: await app.start(), dir };
}

async function call(url: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}), ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  const json = /json/.test(res.headers.get('content-type') ?? '') && text ? (JSON.parse(text) as Record<string, unknown>) : {};
  return { status: res.status, json, headers: res.headers, text };
}

/** Polls the transcript like Web Chat does until `until` holds. */
async function transcriptUntil(base: string, conversationId: string, token: string, until: (all: Activity[]) => boolean): Promise<Activity[]> {
  for (let i = 0; i < 200; i++) {
    const { json } = await call(`${base}/v3/directline/conversations/${conversationId}/activities?watermark=`, { token });
    const all = json.activities as Activity[];
    if (until(all)) return all;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the transcript never reached the expected state');
}

function cardText(activity: Activity): string {
  return JSON.stringify(activity.attachments?.[0]?.content ?? {});
}

/** A raw request with a chosen Host header (fetch does not let a page set it either). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local web chat: Direct Line endpoint and page (loopback mode)', () => {
  let app: App;
  let url: string;
  let dir: string;
  beforeAll(async () => ({ app, url, dir } = await startApp({})));
  afterAll(async () => {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page in the browser language, right-to-left for Arabic, with a language picker', async () => {
    const fr = await call(`${url}/`, { headers: { 'Accept-Language': 'de-DE,fr-CH;q=0.9,en;q=0.5' } });
    expect(fr.status).toBe(200);
    expect(fr.text).toMatch(/<html lang="fr" dir="ltr">/);
    expect(fr.headers.get('content-security-policy')).toContain("script-src 'self'");
    const ar = await call(`${url}/?lang=ar`);
    expect(ar.text).toMatch(/<html lang="ar" dir="rtl">/);
    expect(ar.text).toContain('<option value="ar" lang="ar" dir="rtl" selected>العربية</option>');
    expect((await call(`${url}/webchat/webchat.js`)).text.length).toBeGreaterThan(1_000_000);
    expect((await call(`${url}/webchat/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('welcomes a new conversation, echoes the learner message and answers it with an Adaptive Card', async () => {
    const generated = await call(`${url}/v3/directline/tokens/generate`, { body: { user: { id: 'learner-1' }, locale: 'en-US' } });
    expect(generated.status).toBe(200);
    const started = await call(`${url}/v3/directline/conversations`, { token: generated.json.token as string, body: {} });
    expect(started.status).toBe(201);
    const conversationId = started.json.conversationId as string;
    const token = started.json.token as string;

    const welcome = await transcriptUntil(url, conversationId, token, (all) => all.some((a) => a.type === 'message'));
    expect(welcome[0].attachments?.[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(welcome[0])).toContain('Welcome to AI and Digital Transformation in Government');
    // No ORG_NAME here: the welcome says so instead of naming a placeholder organisation.
    expect(cardText(welcome[0])).toContain(localeString('en', 'common', 'organisation.notConfigured'));
    expect(cardText(welcome[0])).not.toMatch(/Your organisation|example\.org/);

    // The sender is the token's learner, whatever the body claims.
    const posted = await call(`${url}/v3/directline/conversations/${conversationId}/activities`, {
      token,
      body: { type: 'message', text: 'help', from: { id: 'someone-else' }, channelData: { clientActivityID: 'c-1' } },
    });
    expect(posted.status).toBe(200);
    const all = await transcriptUntil(url, conversationId, token, (list) => list.some((a) => cardText(a).includes('What I can do')));
    const echo = all.find((a) => a.id === posted.json.id)!;
    expect(echo.from).toMatchObject({ id: 'learner-1', role: 'user' });
    expect(echo.channelData).toEqual({ clientActivityID: 'c-1' });

    // A card button (Action.Submit) comes back as a message with value {command, args}.
    await call(`${url}/v3/directline/conversations/${conversationId}/activities`, { token, body: { type: 'message', value: { command: 'language' } } });
    await transcriptUntil(url, conversationId, token, (list) => list.some((a) => cardText(a).includes('Choose the language I should use with you.')));

    // Polling with the last watermark returns only what is new.
    const page = await call(`${url}/v3/directline/conversations/${conversationId}/activities?watermark=`, { token });
    const again = await call(`${url}/v3/directline/conversations/${conversationId}/activities?watermark=${page.json.watermark as string}`, { token });
    expect(again.json.activities).toEqual([]);
  });

  it('tells the page the language the bot speaks, and again whenever the learner changes it in the bot', async () => {
    const generated = await call(`${url}/v3/directline/tokens/generate`, { body: { user: { id: 'learner-lang' }, locale: 'fr-FR' } });
    const started = await call(`${url}/v3/directline/conversations`, { token: generated.json.token as string, body: {} });
    const conversationId = started.json.conversationId as string;
    const token = started.json.token as string;
    const languageEvents = (all: Activity[]) => all.filter((a) => a.type === 'event' && (a as { name?: string }).name === LANGUAGE_EVENT).map((a) => (a as { value?: unknown }).value);
    // The welcome follows the browser's language, and the page is told so.
    let all = await transcriptUntil(url, conversationId, token, (list) => languageEvents(list).length > 0);
    expect(languageEvents(all)).toEqual([{ lang: 'fr' }]);

    // The bot's Language button (Arabic): the page is told to switch, once.
    await call(`${url}/v3/directline/conversations/${conversationId}/activities`, { token, body: { type: 'message', value: { command: 'language', args: { lang: 'ar' } } } });
    all = await transcriptUntil(url, conversationId, token, (list) => languageEvents(list).length > 1);
    expect(languageEvents(all)).toEqual([{ lang: 'fr' }, { lang: 'ar' }]);
    await call(`${url}/v3/directline/conversations/${conversationId}/activities`, { token, body: { type: 'message', text: 'help' } });
    all = await transcriptUntil(url, conversationId, token, (list) => list.some((a) => cardText(a).includes(localeString('ar', 'common', 'help.title'))));
    expect(languageEvents(all)).toEqual([{ lang: 'fr' }, { lang: 'ar' }]);
    // Latin words inside the Arabic card are isolated, so their punctuation stays in place; button data is untouched.
    const help = [...all].reverse().find((a) => cardText(a).includes(localeString('ar', 'common', 'help.title')))!;
    expect(cardText(help)).toContain('(\u2066English\u2069');
    expect(cardText(help)).toContain('"data":{"command":"language"');

    // The page serves every language's own strings, so it can follow without a reload.
    const pageConfig = JSON.parse(/<script type="application\/json" id="webchat-config">(.*?)<\/script>/s.exec((await call(`${url}/?lang=fr`)).text)![1]);
    expect(pageConfig.languageEvent).toBe(LANGUAGE_EVENT);
    expect(pageConfig.languages.ar).toMatchObject({ dir: 'rtl', strings: { heading: localeString('ar', 'webchat', 'page.heading') } });
  });

  it('shows proactive messages (reminders) that the bot sends to the conversation', async () => {
    const generated = await call(`${url}/v3/directline/tokens/generate`, { body: { user: { id: 'learner-3' } } });
    const started = await call(`${url}/v3/directline/conversations`, { token: generated.json.token as string, body: {} });
    const conversationId = started.json.conversationId as string;
    const token = started.json.token as string;
    await transcriptUntil(url, conversationId, token, (all) => all.some((a) => a.type === 'message'));

    // What the proactive sender does with a stored reference: continue the conversation through the connector,
    // with the service URL policy adding this process's connector key (the route refuses calls without it).
    const serviceUrls = new ServiceUrlPolicy({ localServiceUrls: [] });
    serviceUrls.allowLocal(`${url}/v3/directline/`, { [CONNECTOR_KEY_HEADER]: DIRECT_LINE_CONNECTOR_KEY });
    const adapter = new CloudAdapter(createBotAuthentication(app.config, serviceUrls));
    const reference = { channelId: 'webchat', serviceUrl: `${url}/v3/directline/`, conversation: { id: conversationId }, bot: { id: 'govai-coach' }, user: { id: 'learner-3' } };
    await adapter.continueConversationAsync('', reference as never, async (context) => {
      await context.sendActivity('Time for today’s lesson');
    });
    const all = await transcriptUntil(url, conversationId, token, (list) => list.some((a) => a.text === 'Time for today’s lesson'));
    expect(all.find((a) => a.text === 'Time for today’s lesson')!.from).toMatchObject({ id: 'govai-coach', role: 'bot' });
  });

  it('refuses requests without a valid token for that conversation', async () => {
    const a = await call(`${url}/v3/directline/tokens/generate`, { body: { user: { id: 'a' } } });
    const b = await call(`${url}/v3/directline/tokens/generate`, { body: { user: { id: 'b' } } });
    const conversationA = a.json.conversationId as string;
    expect((await call(`${url}/v3/directline/conversations/${conversationA}/activities`)).status).toBe(401);
    expect((await call(`${url}/v3/directline/conversations/${conversationA}/activities`, { token: b.json.token as string })).status).toBe(403);
    const forged = (a.json.token as string).replace(/\.[^.]+$/, '.AAAA');
    expect((await call(`${url}/v3/directline/conversations/${conversationA}/activities`, { token: forged })).status).toBe(403);
    const bad = await call(`${url}/v3/directline/conversations/${conversationA}/activities`, { token: a.json.token as string, body: { type: 'message', text: 5 } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'invalid_activity' } });
  });

  it('answers only requests addressed to a loopback host name (no DNS rebinding from a web page)', async () => {
    expect(await getWithHost(`${url}/`, 'attacker.example')).toBe(403);
    expect(await getWithHost(`${url}/`, `localhost:${new URL(url).port}`)).toBe(200);
  });
});

describe('local web chat with DIRECTLINE_SECRET', () => {
  let app: App;
  let url: string;
  let dir: string;
  beforeAll(async () => ({ app, url, dir } = await startApp({ DIRECTLINE_SECRET: SECRET })));
  afterAll(async () => {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('issues tokens only to holders of the secret', async () => {
    expect((await call(`${url}/v3/directline/tokens/generate`, { body: {} })).status).toBe(401);
    expect((await call(`${url}/v3/directline/tokens/generate`, { body: {}, token: 'wrong' })).status).toBe(401);
    const ok = await call(`${url}/v3/directline/tokens/generate`, { body: { user: { id: 'learner-2' } }, token: SECRET });
    expect(ok.status).toBe(200);
    expect(ok.json.expires_in).toBe(1800);
    const refreshed = await call(`${url}/v3/directline/tokens/refresh`, { method: 'POST', token: ok.json.token as string });
    expect(refreshed.json.conversationId).toBe(ok.json.conversationId);
  });
});

describe('local web chat across a restart (DIRECTLINE_SECRET set)', () => {
  it('keeps answering a conversation whose token was issued before the restart', async () => {
    const first = await startApp({ DIRECTLINE_SECRET: SECRET });
    const dir = first.dir;
    const helpReplies = (all: Activity[]) => all.filter((a) => cardText(a).includes('What I can do')).length;
    /** Asks for help and waits for one more help card in the transcript. */
    const askHelp = async (base: string, conversationId: string, token: string) => {
      const before = helpReplies(await transcriptUntil(base, conversationId, token, () => true));
      const posted = await call(`${base}/v3/directline/conversations/${conversationId}/activities`, { token, body: { type: 'message', text: 'help' } });
      expect(posted.status).toBe(200);
      await transcriptUntil(base, conversationId, token, (all) => helpReplies(all) === before + 1);
    };
    try {
      const generated = await call(`${first.url}/v3/directline/tokens/generate`, { body: { user: { id: 'learner-5' } }, token: SECRET });
      const started = await call(`${first.url}/v3/directline/conversations`, { token: generated.json.token as string, body: {} });
      const conversationId = started.json.conversationId as string;
      const token = started.json.token as string;
      await askHelp(first.url, conversationId, token);
      await first.app.stop();

      const configAgain = loadConfig(
        { HOST: '127.0.0.1', PORT: '0', DATA_DIR: dir, INDEX_DIR: SHARED_INDEX_DIR, KNOWLEDGE_DIR: path.join(repoRoot, 'knowledge'), LOG_LEVEL: 'silent', DIRECTLINE_SECRET: SECRET },
        repoRoot,
      );
      const second = await createApp(configAgain, { logger: createLogger({ level: 'silent' }) });
      const secondUrl = await second.start();
      try {
        // The token signed with the secret is still valid: same conversation id and learner, a new transcript.
        await askHelp(secondUrl, conversationId, token);
      } finally {
        await second.stop();
      }
    } finally {
      await first.app.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('local web chat when the bot has Microsoft credentials', () => {
  it('still runs web chat turns (no Bot Framework token exists for them) while /api/messages requires one', async () => {
    const { app, url, dir } = await startApp({
      MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001',
      MICROSOFT_APP_TENANT_ID: '00000000-0000-0000-0000-000000000002',
      MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
    });
    try {
      const generated = await call(`${url}/v3/directline/tokens/generate`, { body: { user: { id: 'learner-4' } } });
      const started = await call(`${url}/v3/directline/conversations`, { token: generated.json.token as string, body: {} });
      const all = await transcriptUntil(url, started.json.conversationId as string, started.json.token as string, (list) => list.some((a) => a.type === 'message'));
      expect(cardText(all[0])).toContain('Welcome to AI and Digital Transformation in Government');

      const unauthenticated = await call(`${url}/api/messages`, {
        body: {
          type: 'message',
          text: 'help',
          channelId: 'msteams',
          serviceUrl: 'https://smba.example/',
          from: { id: 'u' },
          recipient: { id: 'b' },
          conversation: { id: 'c' },
          deliveryMode: 'expectReplies',
        },
      });
      expect(unauthenticated.status).toBe(401);
    } finally {
      await app.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Direct Line transcripts', () => {
  it('give new activity ids when a conversation id is reused after a restart, so no message is taken for a retry', () => {
    const before = new DirectLineConversationStore();
    const after = new DirectLineConversationStore();
    const user = { userId: 'u' };
    const first = before.append(before.create(user, 0, 'dl-same'), { type: 'message', text: 'help' });
    const again = after.append(after.create(user, 0, 'dl-same'), { type: 'message', text: 'help' });
    expect(again).not.toBe(first);
  });

  it('return only activities after the watermark, and keep memory bounded', () => {
    const store = new DirectLineConversationStore({ ...DEFAULT_LIMITS, maxConversations: 10, maxActivitiesPerConversation: 3, idleMs: 60_000 });
    const conversation = store.create({ userId: 'u' });
    for (const text of ['a', 'b', 'c', 'd', 'e']) store.append(conversation, { type: 'message', text });
    expect(store.since(conversation, '').activities.map((a) => a.text)).toEqual(['c', 'd', 'e']);
    expect(store.since(conversation, '3')).toMatchObject({ activities: [{ text: 'd' }, { text: 'e' }], watermark: '5' });
  });

  it('bound the bytes kept per conversation and in all: big cards push out the oldest activities, then the idlest conversations', () => {
    const card = (n: number) => ({ type: 'message', text: `card ${n}`, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: 'x'.repeat(10_000) } }] });
    const store = new DirectLineConversationStore({ ...DEFAULT_LIMITS, maxBytesPerConversation: 50_000, maxTotalBytes: 120_000 });
    const busy = store.create({ userId: 'busy' }, 1);
    for (let n = 0; n < 20; n++) store.append(busy, card(n));
    const kept = store.since(busy, '').activities.map((a) => a.text);
    expect(kept.length).toBeLessThan(6);
    expect(kept[kept.length - 1]).toBe('card 19');
    expect(store.since(busy, '').watermark).toBe('20');
    expect(store.bytes).toBeLessThanOrEqual(50_000);

    const others = [1, 2, 3].map((n) => store.create({ userId: `u${n}` }, 10 + n));
    for (const c of others) for (let n = 0; n < 4; n++) store.append(c, card(n));
    expect(store.bytes).toBeLessThanOrEqual(120_000);
    // The least recently used conversation went first; the one just written to keeps its latest reply.
    expect(store.get(busy.id)).toBeUndefined();
    expect(store.since(others[2]!, '').activities.at(-1)?.text).toBe('card 3');
    // One activity larger than every cap is still delivered: the learner sees the reply.
    const huge = store.create({ userId: 'huge' }, 100);
    store.append(huge, { type: 'message', text: 'y'.repeat(200_000) });
    expect(store.since(huge, '').activities).toHaveLength(1);
  });
});

describe('Direct Line tokens', () => {
  it('expire', () => {
    const tokens = new DirectLineTokens(SECRET, 60);
    const { token } = tokens.issue({ conversationId: 'c', userId: 'u' }, Date.parse('2026-01-01T00:00:00Z'));
    expect(tokens.verify(token, Date.parse('2026-01-01T00:00:59Z')).userId).toBe('u');
    expect(() => tokens.verify(token, Date.parse('2026-01-01T00:01:00Z'))).toThrow('expired');
  });
});

describe('WEBCHAT_ENABLED=false', () => {
  it('serves neither the page nor Direct Line', async () => {
    const { app, url, dir } = await startApp({ WEBCHAT_ENABLED: 'false' });
    try {
      expect((await call(`${url}/`)).status).toBe(404);
      expect((await call(`${url}/v3/directline/tokens/generate`, { body: {} })).status).toBe(404);
    } finally {
      await app.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
