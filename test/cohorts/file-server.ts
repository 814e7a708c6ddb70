import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A file as a local host serves it: a body (sent chunked unless `length` is set), or a status without one. */
export interface ServedFile {
  body?: Buffer | string;
  status?: number;
  /** Send Content-Length (otherwise the body is streamed in chunks without one). */
  length?: boolean;
  headers?: Record<string, string>;
}

/** A local file host on 127.0.0.1 (standing in for SharePoint): serves `files` by path and records every request. */
export async function startFileServer(files: Record<string, ServedFile>) {
  const requests: { path: string; authorization?: string }[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://files').pathname;
    requests.push({ path, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const file = files[path];
    if (!file) {
      res.writeHead(404);
      res.end();
      return;
    }
    const body = file.body === undefined ? undefined : Buffer.from(file.body);
    res.writeHead(file.status ?? 200, { 'content-type': 'text/csv', ...(file.length && body ? { 'content-length': String(body.length) } : {}), ...(file.headers ?? {}) });
    if (!body) return void res.end();
    // Written in pieces, so a size limit must hold while the body streams in.
    for (let i = 0; i < body.length; i += 64 * 1024) res.write(body.subarray(i, i + 64 * 1024));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
