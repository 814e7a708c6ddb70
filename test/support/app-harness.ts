import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App, type AppOverrides } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** ../shared beside the repository (read-only public schemas and evaluation questions). */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');

/**
 * One retrieval index for every test that boots the app on the real course: it is built once
 * (the course is large) and then loaded, since the index is keyed by a hash of the content.
 */
export const SHARED_INDEX_DIR = path.join(os.tmpdir(), `govai-test-index-${process.getuid?.() ?? 'user'}`);

export function tempDir(prefix = 'govai-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface RunningApp {
  app: App;
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts the real app on an ephemeral loopback port with a throw-away data folder. */
export async function startTestApp(env: Record<string, string> = {}, overrides: Omit<AppOverrides, 'logger'> = {}): Promise<RunningApp> {
  const dataDir = env.DATA_DIR ?? tempDir();
  const config = loadConfig(
    { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', DATA_DIR: dataDir, INDEX_DIR: SHARED_INDEX_DIR, KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'), ...env },
    REPO_ROOT,
  );
  const app = await createApp(config, { ...overrides, logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const url = await app.start();
  return { app, url, dataDir, stop: () => app.stop() };
}

let counter = 0;

/** A Teams-shaped activity with sensible defaults; override any field. */
export function teamsActivity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    type: 'message',
    id: `act-${Date.now()}-${counter}`,
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    from: { id: '29:user-1', name: 'Ana Silva', aadObjectId: 'aad-user-1' },
    recipient: { id: '28:bot', name: 'govai-coach' },
    conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'tenant-1' },
    locale: 'en-US',
    deliveryMode: 'expectReplies',
    ...overrides,
  };
}

export interface PostResult {
  status: number;
  body: any;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<PostResult> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep the raw text */
  }
  return { status: res.status, body: parsed };
}

/** Sends an activity with expectReplies and returns the reply activities. */
export async function exchange(url: string, activity: Record<string, unknown>, headers: Record<string, string> = {}): Promise<any[]> {
  const res = await postJson(`${url}/api/messages`, activity, headers);
  if (res.status !== 200) throw new Error(`POST /api/messages answered ${res.status}: ${JSON.stringify(res.body)}`);
  return (res.body?.activities ?? []) as any[];
}

/** A string from locales/<lang>/<namespace>.json, so tests follow the translations. */
export function localeString(lang: string, namespace: string, key: string): string {
  const resources = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'locales', lang, `${namespace}.json`), 'utf8')) as Record<string, unknown>;
  const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], resources);
  if (typeof value !== 'string') throw new Error(`locales/${lang}/${namespace}.json has no string at ${key}`);
  return value;
}

export function escapeRegExp(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}
