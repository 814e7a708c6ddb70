import { randomUUID } from 'node:crypto';
import { Pool, type PoolConfig } from 'pg';
import { CREATE_ONLY, StorageConflictError, type StoragePort, type StoredDocument, type WriteOptions } from '../../ports/storage';

/**
 * PostgreSQL storage for several bot instances behind a load balancer. Conditional
 * writes are single statements, so concurrent instances never overwrite each other.
 */
export class PostgresStorage implements StoragePort {
  private pool?: Pool;

  constructor(private readonly connection: string | PoolConfig, private readonly table = 'govai_documents') {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`invalid table name "${table}"`);
  }

  async open(): Promise<void> {
    if (this.pool) return;
    const config = typeof this.connection === 'string' ? { connectionString: this.connection } : this.connection;
    const pool = new Pool({ max: 10, ...config });
    try {
      // Several instances may start at once: serialise schema creation with an advisory lock,
      // since concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog.
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.table]);
        await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
          key TEXT PRIMARY KEY,
          value JSONB NOT NULL,
          etag TEXT NOT NULL,
          updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )`);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    this.pool = pool;
  }

  private get db(): Pool {
    if (!this.pool) throw new Error('PostgresStorage used before open()');
    return this.pool;
  }

  async read<T>(key: string): Promise<StoredDocument<T> | undefined> {
    const { rows } = await this.db.query(`SELECT value, etag FROM ${this.table} WHERE key = $1`, [key]);
    return rows[0] ? { value: rows[0].value as T, etag: rows[0].etag as string } : undefined;
  }

  async write<T>(key: string, value: T, options: WriteOptions = {}): Promise<string> {
    const etag = randomUUID();
    const json = JSON.stringify(value);
    const { ifMatch } = options;
    let count: number | null;
    if (ifMatch === CREATE_ONLY) {
      ({ rowCount: count } = await this.db.query(`INSERT INTO ${this.table} (key, value, etag) VALUES ($1, $2::jsonb, $3) ON CONFLICT (key) DO NOTHING`, [key, json, etag]));
    } else if (ifMatch) {
      ({ rowCount: count } = await this.db.query(`UPDATE ${this.table} SET value = $2::jsonb, etag = $3, updated_at = now() WHERE key = $1 AND etag = $4`, [key, json, etag, ifMatch]));
    } else {
      ({ rowCount: count } = await this.db.query(
        `INSERT INTO ${this.table} (key, value, etag) VALUES ($1, $2::jsonb, $3) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, etag = EXCLUDED.etag, updated_at = now()`,
        [key, json, etag],
      ));
    }
    if (!count) throw new StorageConflictError(key);
    return etag;
  }

  async delete(key: string, options: WriteOptions = {}): Promise<boolean> {
    if (options.ifMatch && options.ifMatch !== CREATE_ONLY) {
      const { rowCount } = await this.db.query(`DELETE FROM ${this.table} WHERE key = $1 AND etag = $2`, [key, options.ifMatch]);
      if (!rowCount) throw new StorageConflictError(key);
      return true;
    }
    const { rowCount } = await this.db.query(`DELETE FROM ${this.table} WHERE key = $1`, [key]);
    return Boolean(rowCount);
  }

  async list(prefix: string, options: { limit?: number; startAfter?: string } = {}): Promise<string[]> {
    const { rows } = await this.db.query(
      `SELECT key FROM ${this.table} WHERE left(key, length($1)) = $1 AND key COLLATE "C" > $2 ORDER BY key COLLATE "C" LIMIT $3`,
      [prefix, options.startAfter ?? '', options.limit ?? 1000],
    );
    return rows.map((r) => r.key as string);
  }

  async close(): Promise<void> {
    await this.pool?.end();
    this.pool = undefined;
  }
}
