import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-errors';
import { parseUntrustedJson } from './untrusted-json';

/**
 * Reads a JSON request body with a size limit, returning both the raw text (needed for
 * signature checks) and the parsed value. Errors carry the HTTP status to answer with.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<{ raw: string; json: unknown }> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    req.resume();
    throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
  const raw = await readRawBody(req, maxBytes);
  try {
    return { raw, json: parseUntrustedJson(raw) };
  } catch {
    throw new HttpError(400, 'malformed_json', 'The request body is not valid JSON');
  }
}

export async function readRawBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new HttpError(413, 'payload_too_large', `The request body is larger than ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.resume();
      throw new HttpError(413, 'payload_too_large', `The request body is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
