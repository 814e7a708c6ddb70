import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { CREATE_ONLY, StorageConflictError, StorageUnavailableError, type StoragePort, type StoredDocument, type WriteOptions } from '../../ports/storage';
import { CodedError } from '../../errors/coded-error';
import { openSqliteFile } from './database-setup';

/** Embedded default storage: one SQLite file in WAL mode (or ":memory:" for tests). */
export class SqliteStorage implements StoragePort {
  private db?: Database.Database;

  constructor(private readonly file: string) {}

  async open(): Promise<void> {
    if (this.db) return;
    this.db = openSqliteFile(
      this.file,
      [
        `CREATE TABLE IF NOT EXISTS documents (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL,
          etag TEXT NOT NULL,
          updated_at TEXT NOT NULL
        )`,
      ],
      ['synchronous = NORMAL'],
    );
  }

  private get conn(): Database.Database {
    if (!this.db) throw new CodedError('used_before_open', 'SqliteStorage used before open()');
    return this.db;
  }

  /** Prepared statements are kept for the life of the connection: preparing one costs more than running it. */
  private readonly statements = new Map<string, Database.Statement>();

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.conn.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  async read<T>(key: string): Promise<StoredDocument<T> | undefined> {
    const row = this.statement('SELECT value, etag FROM documents WHERE key = ?').get(key) as { value: string; etag: string } | undefined;
    return row ? { value: JSON.parse(row.value) as T, etag: row.etag } : undefined;
  }

  async write<T>(key: string, value: T, options: WriteOptions = {}): Promise<string> {
    const etag = randomUUID();
    const json = JSON.stringify(value);
    const now = new Date().toISOString();
    const { ifMatch } = options;
    let changes: number;
    if (ifMatch === CREATE_ONLY) {
      changes = this.statement('INSERT OR IGNORE INTO documents (key, value, etag, updated_at) VALUES (?, ?, ?, ?)').run(key, json, etag, now).changes;
    } else if (ifMatch) {
      changes = this.statement('UPDATE documents SET value = ?, etag = ?, updated_at = ? WHERE key = ? AND etag = ?').run(json, etag, now, key, ifMatch).changes;
    } else {
      changes = this.statement(
        'INSERT INTO documents (key, value, etag, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at',
      ).run(key, json, etag, now).changes;
    }
    if (changes === 0) throw new StorageConflictError(key);
    return etag;
  }

  async delete(key: string, options: WriteOptions = {}): Promise<boolean> {
    if (options.ifMatch && options.ifMatch !== CREATE_ONLY) {
      const changes = this.statement('DELETE FROM documents WHERE key = ? AND etag = ?').run(key, options.ifMatch).changes;
      if (changes === 0) throw new StorageConflictError(key);
      return true;
    }
    return this.statement('DELETE FROM documents WHERE key = ?').run(key).changes > 0;
  }

  async list(prefix: string, options: { limit?: number; startAfter?: string } = {}): Promise<string[]> {
    // The range on the key lets SQLite read only the prefix's rows from the primary key, however many
    // other documents (learners) there are; the substr test keeps the answer exact.
    const rows = this.statement('SELECT key FROM documents WHERE key >= ? AND key < ? AND key > ? AND substr(key, 1, length(?)) = ? ORDER BY key LIMIT ?').all(
      prefix,
      `${prefix}\u{10ffff}`,
      options.startAfter ?? '',
      prefix,
      prefix,
      options.limit ?? 1000,
    ) as { key: string }[];
    return rows.map((r) => r.key);
  }

  async ping(): Promise<void> {
    try {
      this.statement('SELECT 1').get();
    } catch (err) {
      throw new StorageUnavailableError(`SQLite does not answer: ${(err as Error).message}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db?.close();
    this.db = undefined;
  }
}
