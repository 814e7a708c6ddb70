import type { Logger } from '../../logging/logger';
import { MAX_UPLOAD_BYTES, type UploadRead } from '../../ports/uploads';

export interface DownloadOptions {
  /** Whether the bot may fetch this URL; asked again for every redirect, so a redirect cannot reach another host unchecked. */
  allowed(url: URL): boolean;
  /** Sent to the first origin only: a token is never forwarded to the host of a redirect. */
  headers?: Record<string, string>;
  maxBytes?: number;
  timeoutMs?: number;
  logger: Logger;
}

const MAX_REDIRECTS = 3;
const DEFAULT_TIMEOUT_MS = 15_000;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Fetches a file a person sent (a CSV to enrol) as text, within a size limit and a time limit,
 * following redirects only to allowed hosts. Never throws: every failure is one of the
 * outcomes the core explains to the person.
 */
export async function downloadText(url: string, options: DownloadOptions): Promise<UploadRead> {
  const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const failed = (reason: string, details: Record<string, unknown> = {}): UploadRead => {
    options.logger.warn({ ...details, reason }, 'file download failed');
    return { ok: false, failure: 'download-failed' };
  };
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return failed('invalid URL');
  }
  const origin = target.origin;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!options.allowed(target)) return failed('host not allowed', { host: target.host });
      const res = await fetch(target, { redirect: 'manual', signal, headers: target.origin === origin ? (options.headers ?? {}) : {} });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        target = new URL(location, target);
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        return failed('status', { status: res.status });
      }
      if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
        await res.body?.cancel();
        return { ok: false, failure: 'too-big' };
      }
      const bytes = await readAtMost(res, maxBytes);
      return bytes ? decodeText(bytes) : { ok: false, failure: 'too-big' };
    }
    return failed('too many redirects');
  } catch (err) {
    return failed('request failed', { err });
  }
}

/** The body, or undefined as soon as it passes `maxBytes` (a missing or wrong Content-Length cannot get past the limit). */
async function readAtMost(res: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** UTF-8 (with or without a BOM, as Excel saves "CSV UTF-8"), else Windows-1252 (Excel's plain "CSV"); binary is no CSV. */
function decodeText(bytes: Uint8Array): UploadRead {
  const body = UTF8_BOM.every((b, i) => bytes[i] === b) ? bytes.subarray(UTF8_BOM.length) : bytes;
  if (body.includes(0)) return { ok: false, failure: 'not-csv' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    return { ok: true, text: new TextDecoder('windows-1252').decode(body) };
  }
}
