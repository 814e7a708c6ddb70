import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

export interface RecordedCall {
  method: string;
  args: Record<string, any>;
  /** What the recorder answered (e.g. the ts of a posted message). */
  response: Record<string, any>;
}

/**
 * A stand-in for Slack's Web API on 127.0.0.1: records every call (chat.postMessage,
 * chat.update, views.publish, ...) and answers ok:true as Bolt's WebClient expects.
 */
export class SlackApiRecorder {
  readonly calls: RecordedCall[] = [];
  /** A test's own answers (rosters, user details, errors); undefined falls back to the defaults below. */
  respond?: (method: string, args: Record<string, any>) => Record<string, unknown> | undefined;
  /** Files served outside /api/ (as files.slack.com serves url_private_download), by path. */
  readonly files: Record<string, string | Buffer> = {};
  /** Every request for a file, with the Authorization header it carried. */
  readonly fileRequests: { path: string; authorization?: string }[] = [];
  /** Files the bot uploaded (files.uploadV2), by the id files.getUploadURLExternal gave them. */
  readonly uploads: { fileId: string; body: Buffer }[] = [];
  private server?: http.Server;
  private baseUrl = 'http://127.0.0.1/';
  private ts = 1700000000;
  private waiters: (() => void)[] = [];

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!(req.url ?? '').startsWith('/api/')) return this.serveFile(req, res, Buffer.concat(chunks));
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
        const raw = Buffer.concat(chunks).toString('utf8');
        const args = /json/.test(String(req.headers['content-type'])) ? JSON.parse(raw || '{}') : decodeForm(raw);
        const response = this.respond?.(method, args) ?? this.answer(method, args);
        this.calls.push({ method, args, response });
        for (const w of this.waiters.splice(0)) w();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(response));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return `${this.baseUrl}api/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The file URL a message event names (url_private_download) for a path served here. */
  fileUrl(path: string): string {
    return new URL(path, this.baseUrl).href;
  }

  private serveFile(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path.startsWith('/upload/')) {
      // files.uploadV2's second step: the file's bytes to the URL files.getUploadURLExternal gave.
      this.uploads.push({ fileId: path.slice('/upload/'.length), body: uploadedPart(body, String(req.headers['content-type'] ?? '')) });
      res.end('OK');
      return;
    }
    this.fileRequests.push({ path, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const file = this.files[path];
    // Slack answers a request without the bot token with a login page, not the file.
    if (file === undefined || !req.headers.authorization?.startsWith('Bearer xoxb-')) {
      res.statusCode = file === undefined ? 404 : 403;
      res.end();
      return;
    }
    res.setHeader('content-type', 'text/csv');
    res.end(file);
  }

  of(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** chat.postMessage calls to one channel. */
  postsTo(channel: string): RecordedCall[] {
    return this.of('chat.postMessage').filter((c) => c.args.channel === channel);
  }

  /** Resolves once `count` calls of `method` have been recorded (fails the test after 10 s). */
  waitFor(method: string, count = 1): Promise<RecordedCall[]> {
    return this.until(() => this.of(method), count, method);
  }

  /** Resolves once `count` chat.update calls were made in `channel`. */
  waitForUpdate(channel: string, count = 1): Promise<RecordedCall[]> {
    return this.until(() => this.of('chat.update').filter((c) => c.args.channel === channel), count, `chat.update in ${channel}`);
  }

  /** Resolves once `count` messages were posted to `channel`. */
  waitForChannel(channel: string, count = 1): Promise<RecordedCall[]> {
    return this.until(() => this.postsTo(channel), count, `chat.postMessage to ${channel}`);
  }

  private async until(select: () => RecordedCall[], count: number, what: string): Promise<RecordedCall[]> {
    const deadline = Date.now() + 10_000;
    while (select().length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} ${what} call(s), got ${select().length}: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return select();
  }

  private answer(method: string, args: Record<string, any>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
      case 'users.info':
        return { ok: true, user: { id: args.user, locale: 'en-US' } };
      case 'chat.postMessage':
        return { ok: true, channel: String(args.channel).startsWith('U') ? 'DBOTDM' : args.channel, ts: `${++this.ts}.000100` };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'files.getUploadURLExternal': {
        const fileId = `F${++this.ts}`;
        return { ok: true, file_id: fileId, upload_url: `${this.baseUrl}upload/${fileId}` };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) ?? [] };
      default:
        return { ok: true };
    }
  }
}

/** WebClient sends form fields; blocks and views are JSON strings inside them. */
function decodeForm(raw: string): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(parseQueryString(raw))) {
    const value = Array.isArray(v) ? v[0] : v;
    out[k] = typeof value === 'string' && /^[[{]/.test(value) ? jsonOrText(value) : value;
  }
  return out;
}

/** A field that only looks like JSON (say "[object Object]", sent by mistake) is kept as text for the test to see. */
function jsonOrText(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The file part of a multipart/form-data upload (what the WebClient posts to the upload URL), or the raw body. */
function uploadedPart(body: Buffer, contentType: string): Buffer {
  const boundary = contentType.split('boundary=')[1];
  if (!boundary) return body;
  const start = body.indexOf('\r\n\r\n') + 4;
  const end = body.indexOf(`\r\n--${boundary}`, start);
  return body.subarray(start, end < 0 ? undefined : end);
}
