import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudAdapter, type Activity, type ConversationReference } from 'botbuilder';
import { createBotAuthentication } from '../../src/channels/botframework/bot-authentication';
import { ServiceUrlPolicy } from '../../src/channels/botframework/service-url-policy';
import { ConfigError, loadConfig } from '../../src/config/config';
import { exchange, postJson, REPO_ROOT, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';

/** A loopback HTTP server standing in for a connector (or for a local service an attacker aims at); records every request. */
async function startRecorder(): Promise<{ serviceUrl: string; calls: { method: string; url: string }[]; close(): Promise<void> }> {
  const calls: { method: string; url: string }[] = [];
  const server = http.createServer((req, res) => {
    calls.push({ method: req.method ?? '', url: req.url ?? '' });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `sent-${calls.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('outbound requests and request origin without credentials (local mode)', () => {
  let listed: Awaited<ReturnType<typeof startRecorder>>;
  let unlisted: Awaited<ReturnType<typeof startRecorder>>;
  let running: RunningApp;

  beforeAll(async () => {
    listed = await startRecorder();
    unlisted = await startRecorder();
    running = await startTestApp({ REMINDER_TICK_SECONDS: '0', LOCAL_SERVICE_URLS: listed.serviceUrl });
  });
  afterAll(async () => {
    await running.stop();
    await listed.close();
    await unlisted.close();
  });

  it('refuses an activity that asks for replies at an unlisted loopback URL, and sends nothing there', async () => {
    const res = await postJson(`${running.url}/api/messages`, teamsActivity({ text: 'help', serviceUrl: unlisted.serviceUrl, deliveryMode: undefined }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('service_url_not_allowed');
    expect(unlisted.calls).toEqual([]);
  });

  it('refuses replies to a remote host as well', async () => {
    const res = await postJson(`${running.url}/api/messages`, teamsActivity({ text: 'help', serviceUrl: 'https://smba.trafficmanager.net/emea/', deliveryMode: undefined }));
    expect(res.status).toBe(403);
  });

  it('posts replies to a loopback URL the operator listed', async () => {
    const res = await postJson(`${running.url}/api/messages`, teamsActivity({ text: 'help', serviceUrl: listed.serviceUrl, deliveryMode: undefined }));
    expect(res.status).toBe(200);
    expect(listed.calls.some((c) => c.method === 'POST' && c.url.startsWith('/v3/conversations/'))).toBe(true);
  });

  it('still answers in the HTTP response (expectReplies) whatever serviceUrl the activity names', async () => {
    const replies = await exchange(running.url, teamsActivity({ text: 'help', serviceUrl: unlisted.serviceUrl }));
    expect(JSON.stringify(replies[0])).toMatch(/What I can do/);
    expect(unlisted.calls).toEqual([]);
  });

  it('never sends a proactive message to a stored reference whose serviceUrl is not allowed', async () => {
    const serviceUrls = new ServiceUrlPolicy({ localServiceUrls: running.app.config.LOCAL_SERVICE_URLS });
    const adapter = new CloudAdapter(createBotAuthentication(running.app.config, serviceUrls));
    const reference = { channelId: 'msteams', serviceUrl: unlisted.serviceUrl, conversation: { id: 'a:personal-1' }, bot: { id: '28:bot' }, user: { id: '29:user-1' } };
    let sendError: unknown;
    await adapter.continueConversationAsync('', reference as Partial<ConversationReference>, async (context) => {
      try {
        await context.sendActivity('Time for a lesson');
      } catch (err) {
        sendError = err;
      }
    });
    expect((sendError as { code?: string }).code).toBe('service_url_not_allowed');
    expect(unlisted.calls).toEqual([]);
  });

  it('keeps checking every send when the connector clients are reused across proactive messages', async () => {
    const serviceUrls = new ServiceUrlPolicy({ localServiceUrls: running.app.config.LOCAL_SERVICE_URLS });
    const adapter = new CloudAdapter(createBotAuthentication(running.app.config, serviceUrls));
    const send = async (serviceUrl: string): Promise<unknown> => {
      const reference = { channelId: 'msteams', serviceUrl, conversation: { id: 'a:personal-2' }, bot: { id: '28:bot' }, user: { id: '29:user-2' } };
      let sendError: unknown;
      await adapter.continueConversationAsync('', reference as Partial<ConversationReference>, async (context) => {
        await context.sendActivity('Time for a lesson').catch((err: unknown) => {
          sendError = err;
        });
      });
      return sendError;
    };
    const before = listed.calls.length;
    for (let i = 0; i < 3; i++) {
      expect(await send(listed.serviceUrl)).toBeUndefined();
      expect((await send(unlisted.serviceUrl)) as { code?: string }).toMatchObject({ code: 'service_url_not_allowed' });
    }
    expect(listed.calls.length - before).toBe(3);
    expect(unlisted.calls).toEqual([]);
  });

  it.each([
    ['a Host that is not this machine', { host: 'attacker.example' }],
    ['a rebound name with the right port', { host: 'rebind.attacker.example:3978' }],
    ['an Origin of another site', { origin: 'http://attacker.example' }],
    ['the opaque Origin "null"', { origin: 'null' }],
  ])('answers 403 to %s on every route (DNS rebinding)', async (_name, headers) => {
    for (const route of ['/api/messages', '/healthz', '/']) {
      const status = await rawRequest(running.url, route, route === '/api/messages' ? 'POST' : 'GET', headers, JSON.stringify(teamsActivity({ text: 'help' })));
      expect({ route, status }).toEqual({ route, status: 403 });
    }
  });

  it('answers requests addressed to localhost or 127.0.0.1 from a loopback origin', async () => {
    const port = new URL(running.url).port;
    expect(await rawRequest(running.url, '/healthz', 'GET', { host: `localhost:${port}`, origin: `http://localhost:${port}` })).toBe(200);
    expect(await rawRequest(running.url, '/healthz', 'GET', { host: `127.0.0.1:${port}` })).toBe(200);
  });

  it('lets only the bot itself post to the web chat connector route, not another process on this machine', async () => {
    const res = await postJson(`${running.url}/v3/directline/v3/conversations/dl-any/activities`, { type: 'message', text: 'Send me your password' });
    expect(res.status).toBe(403);
    const guessed = await postJson(`${running.url}/v3/directline/v3/conversations/dl-any/activities`, { type: 'message', text: 'x' }, { 'x-govai-connector-key': 'guess' });
    expect(guessed.status).toBe(403);
  });
});

describe('anonymous network mode (ALLOW_ANONYMOUS_ON_NETWORK)', () => {
  const secret = 's'.repeat(40);
  const env = { HOST: '0.0.0.0', ALLOW_ANONYMOUS_ON_NETWORK: 'true', DATA_DIR: '/tmp/unused' };

  it('cannot be configured without a shared secret of at least 32 characters', () => {
    expect(() => loadConfig(env, REPO_ROOT)).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, ANONYMOUS_SHARED_SECRET: 'short' }, REPO_ROOT)).toThrow(/ANONYMOUS_SHARED_SECRET/);
  });

  it('accepts only requests that carry the shared secret, so nobody else can speak as a learner', async () => {
    const config = loadConfig({ ...env, ANONYMOUS_SHARED_SECRET: secret }, REPO_ROOT);
    const auth = createBotAuthentication(config, new ServiceUrlPolicy({ localServiceUrls: [] }));
    const activity = teamsActivity({ text: 'help', from: { id: '29:victim', aadObjectId: 'aad-victim' } }) as unknown as Activity;
    for (const header of ['', 'Bearer wrong', `Basic ${secret}`]) {
      await expect(auth.authenticateRequest(activity, header)).rejects.toEqual(expect.objectContaining({ status: 401, code: 'missing_shared_secret' }));
    }
    await expect(auth.authenticateRequest(activity, `Bearer ${secret}`)).resolves.toMatchObject({ claimsIdentity: expect.anything() });
  });
});

/** fetch() forbids setting Host, so requests with a chosen Host and Origin go through node:http. */
function rawRequest(base: string, route: string, method: string, headers: Record<string, string>, body?: string): Promise<number> {
  const url = new URL(route, base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: url.hostname, port: url.port, path: url.pathname, method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? body : undefined);
  });
}
