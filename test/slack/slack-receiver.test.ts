import type { AddressInfo } from 'node:net';
import type { App as BoltApp, ReceiverEvent } from '@slack/bolt';
import { createHttpServer, InFlightTracker } from '../../src/channels/http/http-server';
import { RestifySlackReceiver } from '../../src/channels/slack/restify-slack-receiver';
import { SlackEventDedupe } from '../../src/channels/slack/slack-event-dedupe';
import { signSlackRequest, verifySlackSignature, SlackSignatureError } from '../../src/channels/slack/slack-signature';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { createLogger } from '../../src/logging/logger';
import { tempDir } from '../support/app-harness';
import path from 'node:path';

const SECRET = 'receiver-secret';

describe('Slack request signature', () => {
  const body = '{"type":"event_callback"}';
  const now = 1_800_000_000_000;
  const ts = String(now / 1000);

  it('accepts a request signed with the secret within five minutes either way', () => {
    expect(() => verifySlackSignature(SECRET, { timestamp: ts, signature: signSlackRequest(SECRET, ts, body), rawBody: body }, now)).not.toThrow();
    const early = String(now / 1000 - 299);
    expect(() => verifySlackSignature(SECRET, { timestamp: early, signature: signSlackRequest(SECRET, early, body), rawBody: body }, now)).not.toThrow();
  });

  it.each([
    ['missing headers', undefined, undefined, 'missing_signature'],
    ['six minutes old', String(now / 1000 - 360), 'sign', 'stale_timestamp'],
    ['six minutes in the future', String(now / 1000 + 360), 'sign', 'stale_timestamp'],
    ['a signature of another body', ts, 'other', 'bad_signature'],
    ['a truncated signature', ts, 'short', 'bad_signature'],
  ])('refuses %s', (_name, timestamp, how, code) => {
    const signature =
      how === 'sign'
        ? signSlackRequest(SECRET, timestamp!, body)
        : how === 'other'
          ? signSlackRequest(SECRET, ts, `${body} `)
          : how === 'short'
            ? signSlackRequest(SECRET, ts, body).slice(0, 20)
            : undefined;
    let error: unknown;
    try {
      verifySlackSignature(SECRET, { timestamp, signature, rawBody: body }, now);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SlackSignatureError);
    expect((error as SlackSignatureError).code).toBe(code);
  });
});

describe('RestifySlackReceiver', () => {
  // Two receivers (two app instances) sharing one storage, each with a stand-in for Bolt.
  const storage = new SqliteStorage(path.join(tempDir(), 'slack.sqlite'));
  const logger = createLogger({ level: 'silent' });
  const processed: ReceiverEvent[] = [];
  const instances: { url: string; close(): Promise<void> }[] = [];

  beforeAll(async () => {
    await storage.open();
    for (let i = 0; i < 2; i++) {
      const server = createHttpServer(logger, { ready: true, startedAt: Date.now(), version: 'test' });
      const receiver = new RestifySlackReceiver({ server, signingSecret: SECRET, storage, logger, maxBodyBytes: 65536, inFlight: new InFlightTracker(), isReady: () => true });
      receiver.init({
        processEvent: async (event: ReceiverEvent) => {
          processed.push(event);
          await event.ack();
        },
      } as unknown as BoltApp);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      instances.push({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) });
    }
  });
  afterAll(async () => {
    for (const i of instances) await i.close();
    await storage.close();
  });

  const post = (url: string, body: string, headers: Record<string, string> = {}) => {
    const ts = String(Math.floor(Date.now() / 1000));
    return fetch(`${url}/api/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body), ...headers },
      body,
    });
  };

  it('hands an event to Bolt once, even when Slack retries it at another instance', async () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'EvOnce', event: { type: 'message', text: 'hi' } });
    expect((await post(instances[0].url, body)).status).toBe(200);
    expect((await post(instances[1].url, body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    expect((await post(instances[0].url, body, { 'x-slack-retry-num': '2' })).status).toBe(200);
    expect(processed.filter((e) => e.body.event_id === 'EvOnce')).toHaveLength(1);
  });

  it('passes retry details to Bolt for a new event id', async () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'EvNew', event: { type: 'message' } });
    await post(instances[1].url, body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' });
    const event = processed.find((e) => e.body.event_id === 'EvNew');
    expect(event).toMatchObject({ retryNum: 1, retryReason: 'http_error' });
  });

  it('never hands an unsigned request to Bolt', async () => {
    const before = processed.length;
    const res = await fetch(`${instances[0].url}/api/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"event_callback","event_id":"EvX"}' });
    expect(res.status).toBe(401);
    expect(processed.length).toBe(before);
  });

  it('answers 400 to a signed body that is not JSON', async () => {
    expect((await post(instances[0].url, 'not json')).status).toBe(400);
  });
});

describe('SlackEventDedupe', () => {
  it('forgets event ids older than two days and keeps recent ones', async () => {
    const storage = new SqliteStorage(path.join(tempDir(), 'dedupe.sqlite'));
    await storage.open();
    const dedupe = new SlackEventDedupe(storage, createLogger({ level: 'silent' }));
    const now = new Date('2026-11-28T12:00:00Z');
    const day = 86_400;
    // An answered delivery: claimed, then marked done.
    const answered = async (eventId: string, eventTime: number) => {
      const claim = await dedupe.claim(eventId, eventTime, now);
      if (claim.outcome === 'process') await claim.complete();
      return claim.outcome;
    };
    expect(await answered('EvOld', now.getTime() / 1000 - 3 * day)).toBe('process');
    expect(await answered('EvRecent', now.getTime() / 1000 - 3600)).toBe('process');
    await dedupe.prune(now);
    expect(await storage.list('slack-event:')).toEqual([expect.stringContaining('EvRecent')]);
    // The recent id is still known, so its retry is still refused.
    expect(await answered('EvRecent', now.getTime() / 1000 - 3600)).toBe('done');
    await storage.close();
  });
});
