import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';
import { CodedError } from '../../errors/coded-error';

/** Where the generated default key lives: in the storage port, so every instance signs with the same key. */
export const SIGNING_KEY_DOC = 'certificate-signing-key:default';

interface StoredSigningKey {
  /** PKCS#8 PEM of an Ed25519 private key. */
  privateKeyPem: string;
  createdAt: string;
}

export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/**
 * Signs Open Badges 3.0 credentials in the VC-JWT format of OB 3.0 §8.2: the JWT payload is the
 * credential itself (no `vc` wrapper) with the registered claims iss, jti and nbf, and the JOSE
 * header carries the issuer's public key (`jwk`) and its RFC 7638 thumbprint as `kid`. Ed25519
 * (EdDSA) through node:crypto: no extra dependency for one algorithm.
 */
export class CredentialSigner {
  readonly publicJwk: PublicJwk;

  private constructor(private readonly privateKey: KeyObject) {
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as { kty: string; crv: string; x: string };
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') throw new SigningKeyError('the certificate signing key must be an Ed25519 private key (PKCS#8 PEM)');
    // RFC 7638: the thumbprint hashes the required members in lexicographic order, without spaces.
    const kid = createHash('sha256')
      .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
      .digest('base64url');
    this.publicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: 'EdDSA', use: 'sig' };
  }

  /**
   * The organisation's key (CERTIFICATE_SIGNING_KEY, a PEM; `\n` escapes allowed for .env files),
   * or else the key generated at first start and kept in storage (two instances starting together
   * agree on one: create-only write).
   */
  static async open(options: { privateKeyPem?: string; storage: StoragePort; now?: () => Date }): Promise<CredentialSigner> {
    if (options.privateKeyPem) return new CredentialSigner(parsePrivateKey(options.privateKeyPem.split('\\n').join('\n'), 'CERTIFICATE_SIGNING_KEY'));
    const stored = await options.storage.read<StoredSigningKey>(SIGNING_KEY_DOC);
    if (stored) return new CredentialSigner(parsePrivateKey(stored.value.privateKeyPem, SIGNING_KEY_DOC));
    const { privateKey } = generateKeyPairSync('ed25519');
    const doc: StoredSigningKey = { privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), createdAt: (options.now?.() ?? new Date()).toISOString() };
    try {
      await options.storage.write(SIGNING_KEY_DOC, doc, { ifMatch: CREATE_ONLY });
      return new CredentialSigner(privateKey);
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
      return CredentialSigner.open(options);
    }
  }

  /** The public key set served at /.well-known/jwks.json. */
  jwks(): { keys: PublicJwk[] } {
    return { keys: [this.publicJwk] };
  }

  /** A compact JWS (`application/vc+jwt`) of the credential. */
  signCredential(credential: Record<string, unknown>): string {
    const issuer = credential.issuer as { id?: string } | string | undefined;
    const iss = typeof issuer === 'string' ? issuer : issuer?.id;
    const validFrom = typeof credential.validFrom === 'string' ? Date.parse(credential.validFrom) : NaN;
    const claims: Record<string, unknown> = { ...credential, iss, jti: credential.id };
    if (Number.isFinite(validFrom)) claims.nbf = Math.floor(validFrom / 1000);
    const { kid, ...jwk } = this.publicJwk;
    const header = { alg: 'EdDSA', typ: 'vc+jwt', kid, jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } };
    const signingInput = `${base64url(header)}.${base64url(claims)}`;
    const signature = sign(null, Buffer.from(signingInput), this.privateKey).toString('base64url');
    return `${signingInput}.${signature}`;
  }
}

export class SigningKeyError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super('certificate_signing_key', message, options);
  }
}

function parsePrivateKey(pem: string, where: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw new SigningKeyError(`${where} does not hold a PEM private key: ${(err as Error).message}`);
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
