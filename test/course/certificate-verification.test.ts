import { SHARED_INDEX_DIR } from '../support/app-harness';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { createApp, type App } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/config';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { CertificateStore } from '../../src/adapters/certificates/certificate-store';
import { CredentialSigner, SigningKeyError } from '../../src/adapters/certificates/credential-signer';
import type { TurnInput } from '../../src/core/turn';
import { KNOWLEDGE_DIR, REPO_ROOT, SHARED_DIR, silentLogger } from './harness';

const badgeSchema = JSON.parse(fs.readFileSync(path.join(SHARED_DIR, 'schemas', 'openbadges', 'achievementcredential.json'), 'utf8'));

/** Splits a compact JWS and checks its signature with the key the server publishes, as a verifier would. */
function checkJws(jws: string, jwks: { keys: { kid: string; kty: string; crv: string; x: string }[] }) {
  const [header, payload, signature] = jws.split('.');
  const head = JSON.parse(Buffer.from(header!, 'base64url').toString());
  const key = jwks.keys.find((k) => k.kid === head.kid);
  const valid =
    Boolean(key) && verify(null, Buffer.from(`${header}.${payload}`), createPublicKey({ key: { kty: key!.kty, crv: key!.crv, x: key!.x }, format: 'jwk' }), Buffer.from(signature!, 'base64url'));
  return { head, claims: JSON.parse(Buffer.from(payload!, 'base64url').toString()), valid };
}

describe('certificate verification: signed Open Badge, browser page, revocation by an administrator', () => {
  let dir: string;
  let app: App;
  let url: string;
  let storage: SqliteStorage;
  let certificates: CertificateStore;
  let n = 0;
  const say = async (userId: string, text: string) =>
    (await app.coach.handle({ channelId: 'msteams', userId, userName: 'Someone', conversationId: `c-${userId}`, scope: 'personal', activityId: `a${++n}`, text } as TurnInput)).replies
      .map((r) => r.text ?? '')
      .join('\n');
  const issue = (learnerName: string, lang: 'en' | 'ar' = 'en') =>
    certificates.issue({ learnerKey: `msteams:${learnerName}`, learnerName, lang, courseId: 'course', courseTitle: app.catalog.get(lang).title, completedAt: '2026-11-30T10:00:00.000Z' });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-verify-'));
    const config = loadConfig(
      {
        HOST: '127.0.0.1',
        PORT: '0',
        INDEX_DIR: SHARED_INDEX_DIR,
        KNOWLEDGE_DIR,
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        WEBCHAT_ENABLED: 'false',
        ORG_NAME: 'Ministry of Testing',
        ORG_URL: 'https://ministry.example.org',
        ADMINS: 'msteams:admin-1',
      },
      REPO_ROOT,
    );
    storage = new SqliteStorage(path.join(dir, 'app.sqlite'));
    app = await createApp(config, { logger: silentLogger, storage });
    url = await app.start();
    certificates = new CertificateStore(storage, { issuer: { name: 'Ministry of Testing', url: 'https://ministry.example.org' }, baseUrl: () => url });
  });
  afterAll(async () => {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the signed credential (VC-JWT) verifies with the published key, and any change breaks it', async () => {
    const issued = await issue('Amina Diallo');
    const jwks = await (await fetch(`${url}/.well-known/jwks.json`)).json();
    const res = await fetch(issued.links.signedOpenBadge);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vc+jwt');
    const jws = await res.text();
    const { head, claims, valid } = checkJws(jws, jwks);
    expect(valid).toBe(true);
    expect(head).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt', jwk: { kty: 'OKP', crv: 'Ed25519', x: jwks.keys[0].x } });
    // OB 3.0 §8.2: the payload is the credential itself, with iss, jti and nbf.
    expect(claims).toMatchObject({ iss: 'https://ministry.example.org', jti: `urn:uuid:${issued.id}`, type: ['VerifiableCredential', 'OpenBadgeCredential'] });
    expect(claims.nbf).toBe(Math.floor(Date.parse(issued.issuedAt) / 1000));
    expect(claims.credentialSubject.achievement.criteria.narrative).toEqual(expect.any(String));
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    const { iss: _iss, jti: _jti, nbf: _nbf, ...credential } = claims;
    expect(ajv.validate(badgeSchema, credential) ? [] : ajv.errors).toEqual([]);

    const [header, , signature] = jws.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...claims, credentialSubject: { ...claims.credentialSubject, identifier: [{ type: 'IdentityObject', hashed: false, identityHash: 'Someone Else', identityType: 'name' }] } }),
    ).toString('base64url');
    expect(checkJws(`${header}.${forged}.${signature}`, jwks).valid).toBe(false);
  });

  test('the key is generated once and kept: every instance on the same storage signs with it', async () => {
    const jwks = await (await fetch(`${url}/.well-known/jwks.json`)).json();
    const again = await CredentialSigner.open({ storage });
    expect(again.publicJwk.kid).toBe(jwks.keys[0].kid);
  });

  test('an organisation can configure its own key; a broken one is refused with a clear error', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const signer = await CredentialSigner.open({ privateKeyPem: pem.split('\n').join('\\n'), storage });
    expect(signer.publicJwk.x).toBe((publicKey.export({ format: 'jwk' }) as { x: string }).x);
    await expect(CredentialSigner.open({ privateKeyPem: 'not a key', storage })).rejects.toThrow(SigningKeyError);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await expect(CredentialSigner.open({ privateKeyPem: rsa, storage })).rejects.toThrow(/Ed25519/);
  });

  test('a browser sees a readable page; a client asking for JSON gets JSON', async () => {
    const issued = await issue('Zoë <b>Okafor</b>');
    const page = await fetch(issued.links.verify, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await page.text();
    expect(html).toContain('This certificate of completion is valid.');
    expect(html).toContain('Zoë &lt;b&gt;Okafor&lt;/b&gt;');
    expect(html).not.toContain('<b>Okafor</b>');
    expect(html).toContain('Ministry of Testing');
    expect(html).toContain(`${issued.id}.pdf`);
    const json = await (await fetch(issued.links.verify, { headers: { accept: 'application/json' } })).json();
    expect(json).toMatchObject({ valid: true, id: issued.id, learnerName: 'Zoë <b>Okafor</b>' });

    const arabic = await issue('ليلى حسن', 'ar');
    const arPage = await (await fetch(arabic.links.verify, { headers: { accept: 'text/html' } })).text();
    expect(arPage).toContain('<html lang="ar" dir="rtl">');
    expect(arPage).toContain('شهادة الإتمام هذه صالحة.');

    const unknown = await fetch(`${url}/certificates/00000000-0000-4000-8000-000000000000`, { headers: { accept: 'text/html' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('No certificate has this verification id');
  });

  test('only an administrator revokes a certificate; its page and JSON then say it is revoked', async () => {
    const issued = await issue('Kwame Mensah');
    expect(await say('learner-9', `certificate revoke ${issued.id}`)).toContain('Only administrators can revoke a certificate.');
    expect((await fetch(issued.links.verify)).status).toBe(200);

    expect(await say('admin-1', 'certificate revoke')).toContain('followed by the certificate');
    expect(await say('admin-1', 'certificate revoke 00000000-0000-4000-8000-000000000000')).toContain('No certificate has the id');
    expect(await say('admin-1', `certificate revoke ${issued.id.toUpperCase()}`)).toContain('is now revoked');
    expect(await say('admin-1', `certificate revoke ${issued.id}`)).toContain('was already revoked');

    const json = await fetch(issued.links.verify, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(410);
    expect(await json.json()).toMatchObject({ valid: false, revoked: true, reason: 'revoked by the issuer' });
    const html = await (await fetch(issued.links.verify, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('This certificate was revoked on');
    expect(html).toContain('The issuing organisation withdrew it.');
    expect(html).not.toContain('Kwame');
    expect((await fetch(issued.links.signedOpenBadge)).status).toBe(410);

    const audit = await storage.list('audit:');
    const entries = await Promise.all(audit.map(async (key) => (await storage.read<{ action: string; actor: string }>(key))!.value));
    expect(entries).toContainEqual(expect.objectContaining({ action: 'certificate.revoke', actor: 'learner:msteams:admin-1' }));
  });
});
