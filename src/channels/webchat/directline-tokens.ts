import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { HttpError } from '../http/http-errors';

/** Direct Line's token lifetime; Web Chat refreshes tokens halfway through it. */
export const TOKEN_TTL_SECONDS = 1800;

export interface TokenClaims {
  /** Conversation the token is bound to. */
  conversationId: string;
  /** The learner: activities posted with this token are from this user, whatever they claim. */
  userId: string;
  userName?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const claimsSchema = z.object({
  conversationId: z.string().min(1).max(128),
  userId: z.string().min(1).max(128),
  userName: z.string().max(128).optional(),
  exp: z.number().int(),
});

/**
 * HMAC-signed, expiring Direct Line tokens. The signing key is derived from
 * DIRECTLINE_SECRET (so tokens survive a restart) or random per process (loopback mode).
 */
export class DirectLineTokens {
  private readonly key: Buffer;

  constructor(
    secret: string | undefined,
    private readonly ttlSeconds = TOKEN_TTL_SECONDS,
  ) {
    // A derived key, so the secret itself never signs anything a client sees.
    this.key = secret ? createHmac('sha256', secret).update('govai-coach directline token v1').digest() : randomBytes(32);
  }

  issue(claims: Omit<TokenClaims, 'exp'>, now = Date.now()): { token: string; expires_in: number } {
    const payload = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(now / 1000) + this.ttlSeconds })).toString('base64url');
    return { token: `dl1.${payload}.${this.sign(payload)}`, expires_in: this.ttlSeconds };
  }

  /** Throws a 403 HttpError (what Direct Line answers, and what makes Web Chat stop retrying). */
  verify(token: string, now = Date.now()): TokenClaims {
    const [version, payload, signature] = token.split('.');
    if (version !== 'dl1' || !payload || !signature || !safeEqual(signature, this.sign(payload))) {
      throw new HttpError(403, 'invalid_token', 'The Direct Line token is not valid');
    }
    let claims: TokenClaims;
    try {
      claims = claimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    } catch {
      throw new HttpError(403, 'invalid_token', 'The Direct Line token is not valid');
    }
    if (claims.exp * 1000 <= now) throw new HttpError(403, 'token_expired', 'The Direct Line token has expired');
    return claims;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** Constant-time comparison of two strings of any length. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** The credential of an `Authorization: Bearer <credential>` header, or undefined. */
export function bearerOf(header: string | string[] | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(header ?? ''));
  return m?.[1];
}
