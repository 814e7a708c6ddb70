import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { checkedField, type JobPort, type JobRecord, type JobState, type NewJob } from '../../ports/jobs';
import { CodedError } from '../../errors/coded-error';
import { checkedTableName, createTablesOnce } from '../storage/database-setup';

interface JobRow {
  id: string;
  kind: string;
  grp: string;
  payload: Record<string, unknown>;
  run_at: Date;
  state: JobState;
  attempts: number;
  lease_token: string | null;
  lease_until: Date | null;
  result: Record<string, unknown> | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * Jobs in a PostgreSQL table shared by every instance. A due job is claimed with
 * `FOR UPDATE SKIP LOCKED` inside one UPDATE, so two instances polling at the same moment
 * never take the same row; the claim is a lease (token and expiry) and settling a job checks
 * the token, so an instance whose lease ran out cannot overwrite the new holder's outcome.
 * Times come from the caller's clock (tests control it), not from the database's now().
 */
export class PostgresJobs implements JobPort {
  private pool?: Pool;

  constructor(
    private readonly connectionString: string,
    private readonly table = 'govai_jobs',
    private readonly poolMax = 2,
  ) {
    checkedTableName(table);
  }

  async open(): Promise<void> {
    if (this.pool) return;
    // A hung database must not hang a pass (or the shutdown that waits for it): every query has a client-side deadline.
    const pool = new Pool({ connectionString: this.connectionString, max: this.poolMax, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000, query_timeout: 5000, statement_timeout: 5000 });
    pool.on('error', () => undefined); // a dropped idle connection is replaced on the next query
    await createTablesOnce(pool, this.table, [
      `CREATE TABLE IF NOT EXISTS ${this.table} (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        grp TEXT NOT NULL,
        payload JSONB NOT NULL,
        run_at TIMESTAMPTZ NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_token TEXT,
        lease_until TIMESTAMPTZ,
        result JSONB,
        last_error TEXT,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS ${this.table}_due ON ${this.table} (state, run_at)`,
      `CREATE INDEX IF NOT EXISTS ${this.table}_grp ON ${this.table} (grp)`,
    ]);
    this.pool = pool;
  }

  async close(): Promise<void> {
    await this.pool?.end();
    this.pool = undefined;
  }

  private get db(): Pool {
    if (!this.pool) throw new CodedError('used_before_open', 'PostgresJobs used before open()');
    return this.pool;
  }

  async schedule<P extends Record<string, unknown>>(job: NewJob<P>, now: Date): Promise<JobRecord<P>> {
    const { rows } = await this.db.query<JobRow>(
      `INSERT INTO ${this.table} (id, kind, grp, payload, run_at, state, attempts, created_at, updated_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, 'scheduled', 0, $6, $6) RETURNING *`,
      [newJobId(), job.kind, job.group, JSON.stringify(job.payload), job.runAt, now],
    );
    return toRecord(rows[0]) as JobRecord<P>;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const { rows } = await this.db.query<JobRow>(`SELECT * FROM ${this.table} WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async pending(group: string): Promise<JobRecord[]> {
    const { rows } = await this.db.query<JobRow>(`SELECT * FROM ${this.table} WHERE grp = $1 AND state IN ('scheduled', 'running') ORDER BY run_at, id`, [group]);
    return rows.map(toRecord);
  }

  async cancel(id: string, group: string, now: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(`UPDATE ${this.table} SET state = 'cancelled', updated_at = $3 WHERE id = $1 AND grp = $2 AND state = 'scheduled'`, [id, group, now]);
    return Boolean(rowCount);
  }

  async claimDue(kinds: string[], now: Date, leaseMs: number, limit: number): Promise<JobRecord[]> {
    const { rows } = await this.db.query<JobRow>(
      `UPDATE ${this.table} AS j
         SET state = 'running', attempts = j.attempts + 1, lease_token = due.token, lease_until = $2::timestamptz + make_interval(secs => $3::double precision / 1000), updated_at = $2
       FROM (
         SELECT id, md5(random()::text || id) AS token FROM ${this.table}
          WHERE kind = ANY($1::text[])
            AND ((state = 'scheduled' AND run_at <= $2) OR (state = 'running' AND lease_until <= $2))
          ORDER BY run_at, id
          LIMIT $4
          FOR UPDATE SKIP LOCKED
       ) AS due
       WHERE j.id = due.id
       RETURNING j.*`,
      [kinds, now, leaseMs, limit],
    );
    return rows.map(toRecord).sort((a, b) => a.runAt.localeCompare(b.runAt));
  }

  complete(job: JobRecord, result: Record<string, unknown>, now: Date): Promise<boolean> {
    return this.settle(job, `state = 'done', result = $3::jsonb, last_error = NULL`, [JSON.stringify(result)], now);
  }

  retryAt(job: JobRecord, runAt: Date, error: string, now: Date): Promise<boolean> {
    return this.settle(job, `state = 'scheduled', run_at = $3, last_error = $4`, [runAt, error], now);
  }

  fail(job: JobRecord, error: string, now: Date): Promise<boolean> {
    return this.settle(job, `state = 'failed', last_error = $3`, [error], now);
  }

  async withPayload(kind: string, field: string, value: string): Promise<JobRecord[]> {
    const { rows } = await this.db.query<JobRow>(`SELECT * FROM ${this.table} WHERE kind = $1 AND payload->>$2 = $3 ORDER BY run_at, id`, [kind, checkedField(field), value]);
    return rows.map(toRecord);
  }

  async replacePayload(id: string, payload: Record<string, unknown>, now: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(`UPDATE ${this.table} SET payload = $2::jsonb, updated_at = $3 WHERE id = $1`, [id, JSON.stringify(payload), now]);
    return Boolean(rowCount);
  }

  private async settle(job: JobRecord, set: string, values: unknown[], now: Date): Promise<boolean> {
    const at = `$${values.length + 3}`;
    const { rowCount } = await this.db.query(`UPDATE ${this.table} SET ${set}, lease_token = NULL, lease_until = NULL, updated_at = ${at} WHERE id = $1 AND state = 'running' AND lease_token = $2`, [
      job.id,
      job.leaseToken ?? '',
      ...values,
      now,
    ]);
    return Boolean(rowCount);
  }
}

/** Short, readable ids: facilitators type them in `schedule cancel <id>`. */
export function newJobId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 8);
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    group: row.grp,
    payload: row.payload,
    runAt: row.run_at.toISOString(),
    state: row.state,
    attempts: row.attempts,
    ...(row.lease_token ? { leaseToken: row.lease_token } : {}),
    ...(row.lease_until ? { leaseUntil: row.lease_until.toISOString() } : {}),
    ...(row.result ? { result: row.result } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
