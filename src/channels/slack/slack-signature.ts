import { createHmac, timingSafeEqual } from 'node:crypto';
import { CodedError } from '../../errors/coded-error';

/** Requests signed further than this from now, in either direction, are refused as replays. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export class SlackSignatureError extends CodedError<'missing_signature' | 'stale_timestamp' | 'bad_signature'> {
  constructor(code: 'missing_signature' | 'stale_timestamp' | 'bad_signature', message: string) {
    super(code, message);
  }
}

export interface SignedRequest {
  /** X-Slack-Request-Timestamp (seconds). */
  timestamp: string | undefined;
  /** X-Slack-Signature ("v0=<hex>"). */
  signature: string | undefined;
  rawBody: string;
}

/** "v0=" + HMAC-SHA256(secret, "v0:{timestamp}:{rawBody}") in hex. */
export function signSlackRequest(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * Verifies a Slack request signature: HMAC-SHA256 over v0:{ts}:{rawBody}, compared in
 * constant time, with the timestamp within five minutes of now in either direction (a
 * timestamp from the future is as suspicious as an old one). Throws SlackSignatureError.
 */
export function verifySlackSignature(signingSecret: string, request: SignedRequest, nowMs = Date.now()): void {
  const { timestamp, signature, rawBody } = request;
  if (!timestamp || !signature) throw new SlackSignatureError('missing_signature', 'X-Slack-Signature and X-Slack-Request-Timestamp are required');
  if (!/^\d{1,12}$/.test(timestamp)) throw new SlackSignatureError('stale_timestamp', 'X-Slack-Request-Timestamp is not a Unix time in seconds');
  const skew = Math.abs(Math.floor(nowMs / 1000) - Number(timestamp));
  if (skew > SIGNATURE_WINDOW_SECONDS) throw new SlackSignatureError('stale_timestamp', 'X-Slack-Request-Timestamp is outside the five-minute window');
  const expected = Buffer.from(signSlackRequest(signingSecret, timestamp, rawBody), 'utf8');
  const received = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch is a bad signature either way.
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw new SlackSignatureError('bad_signature', 'X-Slack-Signature does not match the request');
  }
}
