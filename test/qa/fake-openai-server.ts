import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createOpenAiSetup } from '../../src/adapters/llm/openai-client';
import { OpenAiLlm } from '../../src/adapters/llm/openai-llm';
import { PromptLibrary } from '../../src/adapters/llm/prompt-library';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

type Handler = (res: http.ServerResponse, req: RecordedRequest) => void;

/**
 * A local server on 127.0.0.1 speaking the OpenAI wire format (chat completions, streamed
 * completions as server-sent events, embeddings, error statuses), so the real `openai` client
 * is exercised end to end. Each request takes the next scripted handler; the last one repeats.
 */
export class FakeOpenAiServer {
  readonly requests: RecordedRequest[] = [];
  private handlers: Handler[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
      this.requests.push(recorded);
      const handler = this.handlers.length > 1 ? this.handlers.shift()! : this.handlers[0];
      if (!handler) {
        res.writeHead(500).end();
        return;
      }
      handler(res, recorded);
    });
  });

  constructor() {
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  script(...handlers: Handler[]): this {
    this.handlers = handlers;
    return this;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function completion(text: string): Handler {
  return (res, req) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1700000000,
        model: req.body?.model ?? 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      }),
    );
  };
}

export function streamed(pieces: string[]): Handler {
  return (res, req) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const base = { id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1700000000, model: req.body?.model ?? 'm' };
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`);
    for (const p of pieces) res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })}\n\n`);
    res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
    res.end('data: [DONE]\n\n');
  };
}

export function failure(status: number, headers: Record<string, string> = {}): Handler {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { message: `status ${status}`, type: 'server_error', code: null } }));
  };
}

/** Never answers (for timeouts). */
export function hang(): Handler {
  return () => undefined;
}

export function embeddings(dimensions = 8): Handler {
  return (res, req) => {
    const input: string[] = Array.isArray(req.body.input) ? req.body.input : [req.body.input];
    const vector = (text: string) => Array.from({ length: dimensions }, (_, i) => ((text.length * (i + 3)) % 7) / 7 + (text.includes('X-Road') && i === 0 ? 1 : 0));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ object: 'list', model: req.body.model, data: input.map((t, index) => ({ object: 'embedding', index, embedding: vector(t) })), usage: { prompt_tokens: 1, total_tokens: 1 } }),
    );
  };
}

/** The real OpenAI adapter pointed at a FakeOpenAiServer's URL, without retries. */
export function fakeServerLlm(url: string, options: { timeoutMs?: number } = {}): OpenAiLlm {
  const setup = createOpenAiSetup({
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: `${url}/v1`,
    OPENAI_MODEL: 'test-model',
    AZURE_OPENAI_API_VERSION: '2024-10-21',
    LLM_TIMEOUT_MS: options.timeoutMs ?? 5000,
    LLM_MAX_RETRIES: 0,
  } as never);
  if (!setup) throw new TypeError('the fake model server settings did not make an OpenAI setup');
  return new OpenAiLlm(setup, PromptLibrary.load());
}
