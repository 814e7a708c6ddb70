import { SHARED_INDEX_DIR } from '../support/app-harness';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { exchange, postJson, REPO_ROOT, teamsActivity, tempDir } from '../support/app-harness';

const APP_ID = '00000000-0000-0000-0000-00000000b07';
const ISSUER = 'https://api.botframework.com';

/** A locally generated signing key published as OpenID metadata on loopback, like the Bot Framework's. */
interface OpenIdServer {
  url: string;
  /** Signs with the published key (RS256), or as a forger would: `key` another private key, `header` overrides. */
  sign(claims: Record<string, unknown>, forge?: { key?: crypto.KeyObject; header?: Record<string, unknown> }): string;
  publicKeyPem: string;
  close(): Promise<void>;
}

function startOpenIdServer(): Promise<OpenIdServer> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const kid = 'test-key-1';
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openidconfiguration') {
      res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/keys') {
      res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams', 'webchat', 'slack'] }] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/openidconfiguration`;
      resolve({
        url,
        sign(claims, forge = {}) {
          const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
          const head = enc({ alg: 'RS256', typ: 'JWT', kid, ...forge.header });
          const body = enc(claims);
          const signature = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), forge.key ?? privateKey).toString('base64url');
          return `${head}.${body}.${signature}`;
        },
        publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

describe('token validation with an app id', () => {
  let openId: OpenIdServer;
  let running: { app: App; url: string };
  // Every log line of the app, to check that refusals do not flood the log with errors.
  const logLines: { level: number; msg: string }[] = [];

  beforeAll(async () => {
    openId = await startOpenIdServer();
    const config = loadConfig(
      {
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: tempDir(),
        INDEX_DIR: SHARED_INDEX_DIR,
        KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'),
        REMINDER_TICK_SECONDS: '0',
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_TYPE: 'SingleTenant',
        MICROSOFT_APP_TENANT_ID: 'tenant-1',
        MICROSOFT_APP_PASSWORD: 'not-used-offline',
        BOT_OPENID_METADATA_URL: openId.url,
      },
      REPO_ROOT,
    );
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        callback();
      },
    });
    const app = await createApp(config, { logger: createLogger({ level: 'info', destination }) });
    running = { app, url: await app.start() };
  });
  afterAll(async () => {
    await running.app.stop();
    await openId.close();
  });

  const claimsFor = (activity: Record<string, unknown>, overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: ISSUER, aud: APP_ID, serviceurl: activity.serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 600, ...overrides };
  };

  it('rejects a request with no Authorization header', async () => {
    const res = await postJson(`${running.url}/api/messages`, teamsActivity({ text: 'help' }));
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'unauthorized', message: 'Authentication failed' });
  });

  it('rejects a bogus token', async () => {
    const res = await postJson(`${running.url}/api/messages`, teamsActivity({ text: 'help' }), { authorization: 'Bearer abc.def.ghi' });
    expect(res.status).toBe(401);
  });

  it('rejects a token for another bot', async () => {
    const activity = teamsActivity({ text: 'help' });
    const token = openId.sign(claimsFor(activity, { aud: 'someone-else' }));
    const res = await postJson(`${running.url}/api/messages`, activity, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
  });

  it('rejects an expired token', async () => {
    const activity = teamsActivity({ text: 'help' });
    const past = Math.floor(Date.now() / 1000) - 3600;
    const token = openId.sign(claimsFor(activity, { nbf: past - 600, iat: past - 600, exp: past }));
    const res = await postJson(`${running.url}/api/messages`, activity, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
  });

  describe('refuses forged and incomplete tokens with 401 and the generic body, logging no errors', () => {
    const forgeries: [string, (activity: Record<string, unknown>) => string][] = [
      [
        'alg=none',
        (a) => {
          const [head, body] = openId.sign(claimsFor(a)).split('.');
          const none = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(head, 'base64url').toString()), alg: 'none' })).toString('base64url');
          return `${none}.${body}.`;
        },
      ],
      [
        'HS256 signed with the public key',
        (a) => {
          const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
          const head = enc({ alg: 'HS256', typ: 'JWT', kid: 'test-key-1' });
          const body = enc(claimsFor(a));
          return `${head}.${body}.${crypto.createHmac('sha256', openId.publicKeyPem).update(`${head}.${body}`).digest('base64url')}`;
        },
      ],
      ['another key with the same kid', (a) => openId.sign(claimsFor(a), { key: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey })],
      [
        'nbf ten minutes ahead',
        (a) => {
          const soon = Math.floor(Date.now() / 1000) + 600;
          return openId.sign(claimsFor(a, { nbf: soon, iat: soon, exp: soon + 3600 }));
        },
      ],
      [
        'no exp',
        (a) => {
          const { exp: _exp, ...claims } = claimsFor(a);
          return openId.sign(claims);
        },
      ],
      ['an emulator-issued token (emulator tokens are off by default)', (a) => openId.sign(claimsFor(a, { iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', appid: APP_ID }))],
    ];

    it.each(forgeries)('%s', async (_name, forge) => {
      const activity = teamsActivity({ text: 'help' });
      const before = logLines.length;
      const res = await postJson(`${running.url}/api/messages`, activity, { authorization: `Bearer ${forge(activity)}` });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'Authentication failed' } });
      expect(logLines.slice(before).filter((l) => l.level >= 50)).toEqual([]);
    });
  });

  it('refuses a validly signed activity from another tenant with 403', async () => {
    const activity = teamsActivity({
      text: 'help',
      conversation: { id: 'a:personal-x', conversationType: 'personal', tenantId: 'tenant-2' },
      channelData: { tenant: { id: 'tenant-2' } },
    });
    const res = await postJson(`${running.url}/api/messages`, activity, { authorization: `Bearer ${openId.sign(claimsFor(activity))}` });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('tenant_not_allowed');
  });

  it('refuses a token whose serviceurl is not a Bot Framework connector, so no reply is sent there', async () => {
    const activity = teamsActivity({ text: 'help', serviceUrl: 'https://attacker.example/', deliveryMode: undefined });
    const res = await postJson(`${running.url}/api/messages`, activity, { authorization: `Bearer ${openId.sign(claimsFor(activity))}` });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('service_url_not_allowed');
  });

  it('accepts a valid token signed by the published key', async () => {
    const activity = teamsActivity({ text: 'help' });
    const token = openId.sign(claimsFor(activity));
    const replies = await exchange(running.url, activity, { authorization: `Bearer ${token}` });
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).toMatch(/What I can do/);
  });
});
