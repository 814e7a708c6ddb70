import path from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { COURSE_SLICE, type CourseProgress } from '../../src/core/course/progress-state';
import type { LearnerRecord } from '../../src/core/learner';
import type { StoragePort } from '../../src/ports/storage';
import { exchange, teamsActivity } from '../support/app-harness';

/** Every row of every table of a SQLite file, as text (the "scan every table" check). */
export function sqliteRows(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    return tables.flatMap(({ name }) => (db.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((row) => JSON.stringify(row)));
  } finally {
    db.close();
  }
}

export async function postgresRows(connectionString: string, table: string): Promise<string[]> {
  const pool = new Pool({ connectionString });
  try {
    const { rows } = await pool.query(`SELECT key, value::text AS value FROM ${table}`);
    return rows.map((r) => `${r.key} ${r.value}`);
  } finally {
    await pool.end();
  }
}

/** Rows that mention any of the needles (JSON-escaped as stored, and plain). */
export function rowsMentioning(rows: string[], needles: string[]): string[] {
  const forms = needles.flatMap((n) => [n, JSON.stringify(n).slice(1, -1)]);
  return rows.filter((row) => forms.some((n) => row.includes(n)));
}

/** All links in rendered activities or Block Kit that point at a privacy download. */
export function downloadLinksIn(value: unknown): string[] {
  return [...new Set(JSON.stringify(value).match(/https?:\/\/[^"|>\s\\]+\/privacy\/export\/[A-Za-z0-9_-]+/g) ?? [])];
}

/** Marks every module and the final assessment as passed, so `certificate` issues one. */
export async function makeEligibleForCertificate(storage: StoragePort, learnerKey: string, moduleIds: string[]): Promise<void> {
  const stored = (await storage.read<LearnerRecord>(learnerKey))!;
  const course = stored.value.data[COURSE_SLICE] as CourseProgress;
  const at = new Date().toISOString();
  for (const id of moduleIds) course.modulesDone[id] = at;
  course.finalPassedAt = at;
  await storage.write(learnerKey, stored.value, { ifMatch: stored.etag });
}

export interface TeamsLearner {
  from: { id: string; name: string; aadObjectId: string };
  conversation: { id: string; conversationType: string; tenantId: string };
  /** The strings that identify this learner in storage. */
  needles: string[];
}

export function teamsLearner(label: string): TeamsLearner {
  const suffix = `${label}-${process.pid}`;
  const from = { id: `29:privacy-${suffix}`, name: `Zélie Okafor-${label}`, aadObjectId: `aad-privacy-${suffix}` };
  const conversation = { id: `a:personal-privacy-${suffix}`, conversationType: 'personal', tenantId: 'tenant-1' };
  return { from, conversation, needles: [from.id, from.aadObjectId, from.name, conversation.id] };
}

/** Talks to /api/messages as one Teams learner (personal chat, or a group chat with `group`). */
export function teamsClient(url: () => string, learner: TeamsLearner) {
  const send = (overrides: Record<string, unknown>, group?: string) =>
    exchange(url(), teamsActivity({ from: learner.from, conversation: group ? { id: group, conversationType: 'groupChat', tenantId: 'tenant-1' } : learner.conversation, ...overrides }));
  return {
    // In a group chat the bot answers only when @mentioned (other messages are discussion replies or ignored).
    say: (text: string, group?: string) =>
      send(group ? { text: `<at>govai-coach</at> ${text}`, entities: [{ type: 'mention', text: '<at>govai-coach</at>', mentioned: { id: '28:bot', name: 'govai-coach' } }] } : { text }, group),
    press: (command: string, args: Record<string, string> = {}, group?: string) => send({ value: { command, args } }, group),
    install: () => send({ type: 'installationUpdate', action: 'add' }),
  };
}

export const REPO_KNOWLEDGE = path.resolve(__dirname, '..', '..', 'knowledge');

type TeamsClient = ReturnType<typeof teamsClient>;

/**
 * One learner creates a record of every kind the bot keeps: profile, course progress, a quiz
 * answer, a reminder, a question, a poll vote in a group chat, a certificate, conversation
 * references. `storage` is used only to make the learner eligible for the certificate.
 */
export async function createEveryKindOfRecord(client: TeamsClient, storage: StoragePort, learnerKey: string, group: string): Promise<{ certificateId: string; questionId: string }> {
  await client.install();
  let reply = JSON.stringify(await client.say('start'));
  // Through the first lesson to its first quiz question, however many steps it has.
  for (let i = 0; i < 40 && !reply.includes('"command":"quiz.answer"'); i++) reply = JSON.stringify(await client.press('next'));
  const question = /"command":"quiz\.answer","args":\{"question":"([^"]+)","answer":"([^"]+)"/.exec(reply);
  if (!question) throw new Error('no quiz question reached');
  await client.press('quiz.answer', { question: question[1], answer: question[2] });
  await client.say('remind me at 08:30');
  await client.say('What did the court decide about SyRI?');
  await client.say('discuss 1', group);
  await client.press('poll.vote', { module: 'm1', answer: '3' }, group);
  await makeEligibleForCertificate(storage, learnerKey, ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  const certificate = JSON.stringify(await client.say('certificate'));
  const id = /certificates\/([0-9a-f-]{36})/.exec(certificate)?.[1];
  if (!id) throw new Error(`no certificate was issued: ${certificate.slice(0, 500)}`);
  return { certificateId: id, questionId: question[1] };
}
