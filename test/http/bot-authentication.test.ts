import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exchange, postJson, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';

const APP_ID = '00000000-0000-0000-0000-00000000b07';
const ISSUER = 'https://api.botframework.com';

/** A locally generated signing key published as OpenID metadata on loopback, like the Bot Framework's. */
function startOpenIdServer(): Promise<{ url: string; sign(claims: Record<string, unknown>): string; close(): Promise<void> }> {
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
        sign(claims) {
          const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
          const head = enc({ alg: 'RS256', typ: 'JWT', kid });
          const body = enc(claims);
          const signature = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privateKey).toString('base64url');
          return `${head}.${body}.${signature}`;
        },
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

describe('token validation with an app id', () => {
  let openId: Awaited<ReturnType<typeof startOpenIdServer>>;
  let running: RunningApp;

  beforeAll(async () => {
    openId = await startOpenIdServer();
    running = await startTestApp({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_TENANT_ID: 'tenant-1',
      MICROSOFT_APP_PASSWORD: 'not-used-offline',
      BOT_OPENID_METADATA_URL: openId.url,
    });
  });
  afterAll(async () => {
    await running.stop();
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

  it('accepts a valid token signed by the published key', async () => {
    const activity = teamsActivity({ text: 'help' });
    const token = openId.sign(claimsFor(activity));
    const replies = await exchange(running.url, activity, { authorization: `Bearer ${token}` });
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).toMatch(/What I can do/);
  });
});
