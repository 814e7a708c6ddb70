import { SHARED_INDEX_DIR } from '../support/app-harness';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import restify, { type Server } from 'restify';
import { createApp, type App } from '../../src/app/create-app';
import { PrometheusMetrics } from '../../src/adapters/metrics/prometheus-metrics';
import { mountMetricsRoute } from '../../src/channels/http/metrics-route';
import { ConfigError, loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { exchange, postJson, REPO_ROOT, teamsActivity, tempDir } from '../support/app-harness';
import { sample } from './prometheus-text';

/** One bot for the file, with its log lines kept (at info level) so the tests can read them. */
const logLines: Record<string, unknown>[] = [];
const logSink = new Writable({
  write(chunk, _encoding, callback) {
    for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
    callback();
  },
});
let app: App;
const bot = { url: '' };
beforeAll(async () => {
  const config = loadConfig(
    { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DATA_DIR: tempDir(), INDEX_DIR: SHARED_INDEX_DIR, KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'), REMINDER_TICK_SECONDS: '0' },
    REPO_ROOT,
  );
  app = await createApp(config, { logger: createLogger({ level: 'info', destination: logSink }) });
  bot.url = await app.start();
});
afterAll(() => app.stop());

describe('GET /metrics on a bot listening on loopback', () => {
  const scrape = async () => {
    const res = await fetch(`${bot.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('counts turns by channel, kind and outcome, their latency, and Q&A answered and declined', async () => {
    const before = await scrape();
    const teams = { channel: 'msteams', kind: 'message', outcome: 'ok' };
    const baseline = (name: string, labels: Record<string, string>) => sample(before, name, labels) ?? 0;

    await exchange(bot.url, teamsActivity({ text: 'help' }));
    const retried = teamsActivity({ text: 'help' });
    await exchange(bot.url, retried);
    expect(await exchange(bot.url, retried)).toEqual([]);
    await exchange(bot.url, teamsActivity({ text: '', value: { command: 'help' } }));
    await exchange(bot.url, teamsActivity({ text: 'What did the court decide about SyRI?' }));
    await exchange(bot.url, teamsActivity({ text: 'Which football club won the 1994 cup final in Lisbon?' }));

    const after = await scrape();
    expect(sample(after, 'govai_turns_total', teams)).toBe(baseline('govai_turns_total', teams) + 4);
    expect(sample(after, 'govai_turns_total', { ...teams, outcome: 'duplicate' })).toBe(baseline('govai_turns_total', { ...teams, outcome: 'duplicate' }) + 1);
    expect(sample(after, 'govai_turns_total', { ...teams, kind: 'action' })).toBe(baseline('govai_turns_total', { ...teams, kind: 'action' }) + 1);
    // The latency histogram has one observation per counted turn, each within its largest bucket.
    expect(sample(after, 'govai_turn_duration_seconds_count', teams)).toBe(sample(after, 'govai_turns_total', teams));
    expect(sample(after, 'govai_turn_duration_seconds_sum', teams)).toBeGreaterThan(0);
    expect(sample(after, 'govai_turn_duration_seconds_bucket', { ...teams, le: '+Inf' })).toBe(sample(after, 'govai_turns_total', teams));
    expect(sample(after, 'govai_qa_answers_total', { outcome: 'answered' })).toBe(baseline('govai_qa_answers_total', { outcome: 'answered' }) + 1);
    expect(sample(after, 'govai_qa_answers_total', { outcome: 'declined' })).toBe(baseline('govai_qa_answers_total', { outcome: 'declined' }) + 1);
    // Defined for the features that report them, present at zero before the first event.
    expect(sample(after, 'govai_qa_answers_total', { outcome: 'escalated' })).toBe(0);
    expect(after).toMatch(/^# TYPE govai_rate_limited_turns_total counter$/m);
    expect(sample(after, 'govai_job_queue_due', { queue: 'reminders' })).toBe(0);
    expect(sample(after, 'govai_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('refuses a request addressed to another host name (a rebound DNS name pointing at 127.0.0.1)', async () => {
    const { port } = new URL(bot.url);
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/metrics', headers: { host: `attacker.example:${port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(403);
  });

  it('reports a channel id it does not know as "other" rather than as a new label', async () => {
    await exchange(bot.url, teamsActivity({ text: 'help', channelId: 'made-up-channel' }));
    const text = await scrape();
    expect(sample(text, 'govai_turns_total', { channel: 'other', kind: 'message', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('made-up-channel');
  });
});

describe('GET /metrics on a network-facing configuration', () => {
  const TOKEN = 'metrics-token-0123456789';
  const servers: Server[] = [];
  const metrics = new PrometheusMetrics({ processMetrics: false });
  metrics.turn('msteams', 'message', 'ok', 0.02);

  /** The route as the app mounts it for HOST=0.0.0.0; the test server itself still listens on 127.0.0.1 only. */
  async function serve(token: string | undefined): Promise<string> {
    const server = restify.createServer();
    mountMetricsRoute(server, { metrics, host: '0.0.0.0', token, logger: createLogger({ level: 'silent' }) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  }
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  });

  it('refuses a scrape without the bearer token or with a wrong one, and serves it with the token', async () => {
    const url = await serve(TOKEN);
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = await none.text();
    expect(JSON.parse(body).error.code).toBe('metrics_unauthorized');
    expect(body).not.toContain('govai_turns_total');

    const wrong = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const basic = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(401);

    const ok = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(sample(await ok.text(), 'govai_turns_total', { channel: 'msteams', kind: 'message', outcome: 'ok' })).toBe(1);
  });

  it('refuses every scrape when no METRICS_TOKEN is set, even from this machine', async () => {
    const res = await fetch(await serve(undefined));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('metrics_token_not_set');
  });

  it('rejects a METRICS_TOKEN too short to be a secret, without echoing it', () => {
    let error: unknown;
    try {
      loadConfig({ METRICS_TOKEN: 'short-token' }, REPO_ROOT);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['METRICS_TOKEN must be at least 16 characters']);
  });
});

describe('correlation ids from request to reply', () => {
  it("logs the request's turn under the caller's X-Request-Id and sends that id back", async () => {
    const activity = teamsActivity({ text: 'help' });
    await postJson(`${bot.url}/api/messages`, activity, { 'x-request-id': 'proxy-request-0001' });
    const retry = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'proxy-request-0002' }, body: JSON.stringify(activity) });
    expect(retry.headers.get('x-correlation-id')).toBe('proxy-request-0002');
    const duplicate = logLines.find((l) => l.msg === 'duplicate activity ignored' && l.activityId === activity.id);
    expect(duplicate).toMatchObject({ correlationId: 'proxy-request-0002' });
  });

  it('makes up an id when the caller sends none or one unsafe to echo', async () => {
    const plain = await fetch(`${bot.url}/healthz`);
    const unsafe = await fetch(`${bot.url}/healthz`, { headers: { 'x-request-id': 'id with spaces\t<script>' } });
    const ids = [plain.headers.get('x-correlation-id'), unsafe.headers.get('x-correlation-id')];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
