import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Pool } from 'pg';
import { CodedError } from '../../errors/coded-error';
import type { Logger } from '../../logging/logger';

/**
 * The set-up the storage and job adapters share: table names checked before they enter SQL
 * text, a SQLite file opened the same way, and PostgreSQL tables created once across instances.
 */
export function checkedTableName(table: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new CodedError('invalid_identifier', `invalid table name "${table}"`);
  return table;
}

/** A SQLite file (its folder created) in WAL mode, waiting for another process's lock, with `schema` applied. */
export function openSqliteFile(file: string, schema: string[], pragmas: string[] = []): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  for (const pragma of pragmas) db.pragma(pragma);
  db.pragma('busy_timeout = 5000');
  for (const statement of schema) db.exec(statement);
  return db;
}

/**
 * Runs `schema` on a new pool in one transaction under an advisory lock named `lock`: several
 * instances may start at once, and concurrent CREATE TABLE IF NOT EXISTS can still collide in
 * the catalog. On failure the pool is ended and the error rethrown.
 */
export async function createTablesOnce(pool: Pool, lock: string, schema: string[], logger?: Pick<Logger, 'warn'>): Promise<void> {
  try {
    const client = await pool.connect();
    const lost = (err: Error) => logger?.warn({ err: { message: err.message } }, 'PostgreSQL connection lost while creating the table');
    client.on('error', lost);
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
      for (const statement of schema) await client.query(statement);
      await client.query('COMMIT');
      client.removeListener('error', lost);
      client.release();
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.removeListener('error', lost);
      client.release(err as Error);
      throw err;
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}
