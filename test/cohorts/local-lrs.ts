import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { SHARED_DIR } from '../support/app-harness';

/**
 * The public TinCan (xAPI 1.0.x) statement schema from ../shared/schemas/xapi, compiled with Ajv.
 * It is draft-04, whose "id" keyword names sub-schemas ("#statement"); Ajv 8 reads the same
 * anchors as draft-07 "$id", so string ids are renamed (property definitions named "id" are objects and stay).
 */
export function xapiStatementValidator(): ValidateFunction {
  const dir = path.join(SHARED_DIR, 'schemas', 'xapi');
  const rename = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rename);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => (k === 'id' && typeof v === 'string' ? ['$id', v] : [k, rename(v)])));
  };
  const { $schema: _draft, ...schema } = rename(JSON.parse(fs.readFileSync(path.join(dir, 'tin-can-json-schema-1.0.1.json'), 'utf8'))) as Record<string, unknown>;
  // unicodeRegExp off: the patterns match UTF-16 surrogate pairs, which the 'u' flag rejects.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  for (const [name, pattern] of Object.entries(JSON.parse(fs.readFileSync(path.join(dir, 'formats.json'), 'utf8')) as Record<string, string>)) ajv.addFormat(name, new RegExp(pattern));
  ajv.addSchema({ $id: 'tcapi:1.0.1', ...schema });
  return ajv.compile({ $ref: 'tcapi:1.0.1#statement' });
}

/**
 * A local LRS on 127.0.0.1: POST {endpoint}/statements validates every statement against the
 * schema (400 otherwise), stores each id once, and answers 503 while `down` is set.
 */
export async function startLocalLrs() {
  const validate = xapiStatementValidator();
  const stored = new Map<string, any>();
  const requests: { status: number; ids: string[] }[] = [];
  const state = { down: false };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-experience-api-version': '1.0.3' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !/^\/xapi\/statements\/?(\?.*)?$/.test(req.url ?? '')) return reply(404, { error: 'not found' });
      const body = JSON.parse(raw || 'null');
      const statements: any[] = Array.isArray(body) ? body : [body];
      const ids = statements.map((s) => s?.id);
      if (state.down) {
        requests.push({ status: 503, ids });
        return reply(503, { error: 'LRS unavailable' });
      }
      if (!/^1\.0\.\d$/.test(String(req.headers['x-experience-api-version']))) {
        requests.push({ status: 400, ids });
        return reply(400, { error: 'missing X-Experience-API-Version' });
      }
      for (const s of statements) {
        if (!validate(s)) {
          requests.push({ status: 400, ids });
          return reply(400, { error: 'invalid statement', details: validate.errors?.slice(0, 5) });
        }
      }
      for (const s of statements) if (!stored.has(s.id)) stored.set(s.id, s);
      requests.push({ status: 200, ids });
      reply(200, ids);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/xapi/`,
    stored,
    requests,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
