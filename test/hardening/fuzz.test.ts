import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signSlackRequest } from '../../src/channels/slack/slack-signature';
import { seededRandom } from '../../src/core/seeded-random';
import { startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';
import { SlackApiRecorder } from '../slack/slack-api-recorder';

/**
 * A seeded, bounded fuzzer over the public endpoints: valid Teams, invoke, Slack and Direct
 * Line payloads, mutated a few fields at a time (wrong types, huge or odd strings, missing and
 * extra fields). Every response must be an answer or a precise 4xx: never a 500, never internal
 * text (stack traces, file paths, library error messages), and the process must not grow.
 */
const SECRET = 'fuzz-signing-secret';
const SEED = 20261201;
const CASES = { botFramework: 900, slack: 450, directLine: 250 };
const INTERNAL_TEXT = /\bat [\w.<>]+ \(|TypeError|ReferenceError|SyntaxError|Cannot read|undefined is not|\/work\/|node_modules|ECONNREFUSED|stack/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

class Mutator {
  constructor(private readonly random: () => number) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  value(depth = 0): Json {
    const kinds = ['null', 'bool', 'int', 'float', 'empty', 'short', 'long', 'odd', 'array', 'object', 'numeric-string'] as const;
    switch (this.pick(depth > 2 ? kinds.slice(0, 9) : kinds)) {
      case 'null':
        return null;
      case 'bool':
        return this.random() < 0.5;
      case 'int':
        return this.pick([0, -1, 1, 2 ** 31, -(2 ** 53), Number.MAX_SAFE_INTEGER]);
      case 'float':
        return this.pick([0.5, -1e308, 1e308, Math.PI]);
      case 'empty':
        return '';
      case 'short':
        return this.pick(['help', 'next', 'x', 'quiz', 'ok', '2', 'msteams', 'slack', 'message', 'invoke', 'adaptiveCard/action', '29:x', 'en-US', 'ar']);
      case 'long':
        return 'a'.repeat(1 + Math.floor(this.random() * 6000));
      case 'odd':
        return this.pick([
          '\u0000',
          '\ud800',
          '%s%n',
          `\${7*7}`,
          '{{constructor}}',
          '__proto__',
          '<script>',
          '../../etc/passwd',
          '١٢٣',
          'e\u0301\u0301\u0301',
          '\u202eevil',
          '1   1   1   1   1   1   1   1 x',
        ]);
      case 'numeric-string':
        return String(Math.floor(this.random() * 1e6));
      case 'array':
        return Array.from({ length: Math.floor(this.random() * 4) }, () => this.value(depth + 1));
      case 'object':
        return Object.fromEntries(
          Array.from({ length: Math.floor(this.random() * 4) }, (_, i) => [this.pick(['id', 'type', 'text', 'name', 'value', `k${i}`, '__proto__', 'constructor']), this.value(depth + 1)]),
        );
    }
  }

  /** Paths to every node of a document. */
  private paths(node: Json, prefix: (string | number)[] = []): (string | number)[][] {
    const out: (string | number)[][] = prefix.length ? [prefix] : [];
    if (Array.isArray(node)) for (const [i, child] of node.entries()) out.push(...this.paths(child, [...prefix, i]));
    else if (node && typeof node === 'object') for (const [k, child] of Object.entries(node)) out.push(...this.paths(child, [...prefix, k]));
    return out;
  }

  mutate(document: Json, times: number): Json {
    const copy = structuredClone(document);
    for (let i = 0; i < times; i++) {
      const paths = this.paths(copy);
      if (!paths.length) break;
      const path = this.pick(paths);
      const parent = path.slice(0, -1).reduce<any>((n, k) => n[k], copy);
      const key = path[path.length - 1];
      const op = this.random();
      if (op < 0.2 && !Array.isArray(parent)) delete parent[key];
      else if (op < 0.3 && !Array.isArray(parent)) parent[`${String(key)}_${i}`] = this.value();
      else parent[key] = this.value();
    }
    return copy;
  }
}

/** Stands in for the Bot Framework connector: every outbound call is answered 200, and counted. */
async function startConnectorStandIn(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"1"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('fuzzing the public endpoints', () => {
  const recorder = new SlackApiRecorder();
  const mutator = new Mutator(seededRandom(SEED));
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>>;
  let running: RunningApp;
  let failures: string[] = [];
  beforeEach(() => {
    failures = [];
  });

  beforeAll(async () => {
    connector = await startConnectorStandIn();
    const apiUrl = await recorder.start();
    running = await startTestApp({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-fuzz', SLACK_API_URL: apiUrl, REMINDER_TICK_SECONDS: '0' });
  });
  afterAll(async () => {
    await running?.stop();
    await recorder.stop();
    await connector?.stop();
  });

  async function check(label: string, response: Response): Promise<void> {
    const body = await response.text();
    if (response.status >= 500) failures.push(`${label}: HTTP ${response.status} ${body.slice(0, 200)}`);
    else if (INTERNAL_TEXT.test(body)) failures.push(`${label}: internal text in the body: ${body.slice(0, 200)}`);
  }

  it('never answers a mutated Bot Framework activity with 500 or internal text', async () => {
    const seeds: Json[] = [
      teamsActivity({ text: 'help', serviceUrl: connector.url }) as Json,
      teamsActivity({
        text: 'what is the AI Act?',
        serviceUrl: connector.url,
        conversation: { id: '19:channel;messageid=1', conversationType: 'channel', tenantId: 't1' },
        entities: [{ type: 'mention', text: '<at>coach</at>', mentioned: { id: '28:bot' } }],
      }) as Json,
      teamsActivity({ value: { command: 'next', args: { at: 'm1-l1-s1' } }, serviceUrl: connector.url }) as Json,
      teamsActivity({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'run', data: { command: 'quiz.answer', args: { question: 'm1-l1-q1', answer: 'a' } } } },
        serviceUrl: connector.url,
      }) as Json,
      teamsActivity({ type: 'conversationUpdate', membersAdded: [{ id: '29:new', name: 'New' }], serviceUrl: connector.url }) as Json,
      teamsActivity({ type: 'installationUpdate', action: 'add', serviceUrl: connector.url }) as Json,
    ];
    for (let i = 0; i < CASES.botFramework; i++) {
      const payload = mutator.mutate(mutator.pick(seeds), 1 + Math.floor(i % 3));
      const res = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
      await check(`bot framework case ${i}`, res);
    }
    expect(failures).toEqual([]);
  });

  it('never answers a mutated, validly signed Slack request with 500 or internal text', async () => {
    const event = (inner: Json): Json => ({ token: 'legacy', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: 'Ev1', event_time: 1700000000, event: inner });
    const eventSeeds: Json[] = [
      event({ type: 'message', channel_type: 'im', user: 'U1', channel: 'D1', text: 'help', ts: '1700000000.000100' }),
      event({ type: 'app_mention', user: 'U1', channel: 'C1', text: '<@UBOT> what is GDPR?', ts: '1700000000.000200' }),
      event({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home' }),
      event({ type: 'member_joined_channel', user: 'U2', channel: 'C1' }),
    ];
    const interactionSeed: Json = {
      type: 'block_actions',
      user: { id: 'U1' },
      channel: { id: 'D1' },
      container: { type: 'message', message_ts: '1700000000.000300' },
      actions: [{ action_id: 'next', value: JSON.stringify({ command: 'next', args: {} }), action_ts: '1700000000.1' }],
    };
    const commandSeed: Record<string, string> = { command: '/course', text: 'help', user_id: 'U1', channel_id: 'D1', trigger_id: 't1' };
    for (let i = 0; i < CASES.slack; i++) {
      const kind = i % 3;
      let body: string;
      let contentType = 'application/json';
      let path = '/api/slack/events';
      if (kind === 0) {
        const payload = mutator.mutate(mutator.pick(eventSeeds), 1 + (i % 2)) as Record<string, Json>;
        if (payload && typeof payload === 'object' && !Array.isArray(payload)) payload.event_id = `EvFuzz${i}`;
        body = JSON.stringify(payload);
      } else if (kind === 1) {
        path = '/api/slack/interactions';
        contentType = 'application/x-www-form-urlencoded';
        body = new URLSearchParams({ payload: JSON.stringify(mutator.mutate(interactionSeed, 1 + (i % 2))) }).toString();
      } else {
        path = '/api/slack/commands';
        contentType = 'application/x-www-form-urlencoded';
        const fields = { ...commandSeed, [mutator.pick(Object.keys(commandSeed))]: String(mutator.value()) };
        body = new URLSearchParams(fields).toString();
      }
      const ts = String(Math.floor(Date.now() / 1000));
      const res = await fetch(`${running.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body) },
        body,
      });
      await check(`slack case ${i} (${path})`, res);
    }
    expect(failures).toEqual([]);
    // Nothing from a malformed payload reaches Slack's Web API as a stringified object.
    expect(recorder.calls.filter((c) => JSON.stringify(c.args).includes('[object Object]')).map((c) => `${c.method} ${JSON.stringify(c.args).slice(0, 300)}`)).toEqual([]);
  });

  it('never answers a mutated Direct Line activity with 500 or internal text, and stays the same size', async () => {
    const generated = await fetch(`${running.url}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: 'fuzz-learner' } }),
    });
    const { token: userToken } = (await generated.json()) as { token: string };
    const started = await fetch(`${running.url}/v3/directline/conversations`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${userToken}` }, body: '{}' });
    const { conversationId, token } = (await started.json()) as { conversationId: string; token: string };
    const seeds: Json[] = [
      { type: 'message', text: 'help', channelData: { clientActivityID: 'c1' } },
      { type: 'message', value: { command: 'language', args: { lang: 'fr' } } },
      { type: 'message', text: 'qu’est-ce que le RGPD ?', locale: 'fr-FR' },
    ];
    const heapAt = (n: number) => (n === CASES.directLine / 2 ? process.memoryUsage().heapUsed : undefined);
    let middleHeap = 0;
    for (let i = 0; i < CASES.directLine; i++) {
      const payload = mutator.mutate(mutator.pick(seeds), 1 + (i % 3));
      const res = await fetch(`${running.url}/v3/directline/conversations/${conversationId}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(payload),
      });
      await check(`direct line case ${i}`, res);
      middleHeap = heapAt(i) ?? middleHeap;
    }
    expect(failures).toEqual([]);
    // Half the run again must not keep what it allocated: bounded growth, not a leak per request.
    expect(process.memoryUsage().heapUsed - middleHeap).toBeLessThan(64 * 1024 * 1024);
  });
});
