import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { checkedField, type JobPort, type JobRecord, type JobState, type NewJob } from '../../ports/jobs';
import { newJobId } from './postgres-jobs';
import { CodedError } from '../../errors/coded-error';
import { openSqliteFile } from '../storage/database-setup';

interface JobRow {
  id: string;
  kind: string;
  grp: string;
  payload: string;
  run_at: string;
  state: JobState;
  attempts: number;
  lease_token: string | null;
  lease_until: string | null;
  result: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * Embedded jobs: a `jobs` table in the SQLite file (beside the documents). Claims run in an
 * immediate transaction, which takes the database's write lock, so even two processes on one
 * file never claim the same job; leases and settling work as in PostgresJobs. Times are
 * ISO-8601 UTC strings, which sort as instants.
 */
export class SqliteJobs implements JobPort {
  private db?: Database.Database;

  constructor(private readonly file: string) {}

  async open(): Promise<void> {
    if (this.db) return;
    this.db = openSqliteFile(this.file, [
      `CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        grp TEXT NOT NULL,
        payload TEXT NOT NULL,
        run_at TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_token TEXT,
        lease_until TEXT,
        result TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      'CREATE INDEX IF NOT EXISTS jobs_due ON jobs (state, run_at)',
    ]);
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }

  private get conn(): Database.Database {
    if (!this.db) throw new CodedError('used_before_open', 'SqliteJobs used before open()');
    return this.db;
  }

  async schedule<P extends Record<string, unknown>>(job: NewJob<P>, now: Date): Promise<JobRecord<P>> {
    const id = newJobId();
    const at = now.toISOString();
    this.conn
      .prepare(`INSERT INTO jobs (id, kind, grp, payload, run_at, state, attempts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'scheduled', 0, ?, ?)`)
      .run(id, job.kind, job.group, JSON.stringify(job.payload), job.runAt.toISOString(), at, at);
    return (await this.get(id)) as JobRecord<P>;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = this.conn.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  async pending(group: string): Promise<JobRecord[]> {
    const rows = this.conn.prepare(`SELECT * FROM jobs WHERE grp = ? AND state IN ('scheduled', 'running') ORDER BY run_at, id`).all(group) as JobRow[];
    return rows.map(toRecord);
  }

  async cancel(id: string, group: string, now: Date): Promise<boolean> {
    return this.conn.prepare(`UPDATE jobs SET state = 'cancelled', updated_at = ? WHERE id = ? AND grp = ? AND state = 'scheduled'`).run(now.toISOString(), id, group).changes > 0;
  }

  async claimDue(kinds: string[], now: Date, leaseMs: number, limit: number): Promise<JobRecord[]> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const claim = this.conn.transaction(() => {
      const placeholders = kinds.map(() => '?').join(', ');
      const due = this.conn
        .prepare(`SELECT id FROM jobs WHERE kind IN (${placeholders}) AND ((state = 'scheduled' AND run_at <= ?) OR (state = 'running' AND lease_until <= ?)) ORDER BY run_at, id LIMIT ?`)
        .all(...kinds, at, at, limit) as { id: string }[];
      const update = this.conn.prepare(`UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_token = ?, lease_until = ?, updated_at = ? WHERE id = ?`);
      for (const { id } of due) update.run(randomUUID(), until, at, id);
      return due.map(({ id }) => toRecord(this.conn.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow));
    });
    return kinds.length ? claim.immediate() : [];
  }

  async complete(job: JobRecord, result: Record<string, unknown>, now: Date): Promise<boolean> {
    return this.settle(job, `state = 'done', result = ?, last_error = NULL`, [JSON.stringify(result)], now);
  }

  async retryAt(job: JobRecord, runAt: Date, error: string, now: Date): Promise<boolean> {
    return this.settle(job, `state = 'scheduled', run_at = ?, last_error = ?`, [runAt.toISOString(), error], now);
  }

  async fail(job: JobRecord, error: string, now: Date): Promise<boolean> {
    return this.settle(job, `state = 'failed', last_error = ?`, [error], now);
  }

  async withPayload(kind: string, field: string, value: string): Promise<JobRecord[]> {
    const rows = this.conn.prepare(`SELECT * FROM jobs WHERE kind = ? AND json_extract(payload, ?) = ? ORDER BY run_at, id`).all(kind, `$.${checkedField(field)}`, value) as JobRow[];
    return rows.map(toRecord);
  }

  async replacePayload(id: string, payload: Record<string, unknown>, now: Date): Promise<boolean> {
    return this.conn.prepare('UPDATE jobs SET payload = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(payload), now.toISOString(), id).changes > 0;
  }

  private settle(job: JobRecord, set: string, values: unknown[], now: Date): boolean {
    return (
      this.conn
        .prepare(`UPDATE jobs SET ${set}, lease_token = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND state = 'running' AND lease_token = ?`)
        .run(...values, now.toISOString(), job.id, job.leaseToken ?? '').changes > 0
    );
  }
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    group: row.grp,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    runAt: row.run_at,
    state: row.state,
    attempts: row.attempts,
    ...(row.lease_token ? { leaseToken: row.lease_token } : {}),
    ...(row.lease_until ? { leaseUntil: row.lease_until } : {}),
    ...(row.result ? { result: JSON.parse(row.result) as Record<string, unknown> } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
