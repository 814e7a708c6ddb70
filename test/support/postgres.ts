import { Pool } from 'pg';

/** The real PostgreSQL on this machine (.ci/run starts it); never an in-memory imitation. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A table name unique to this test process, and a way to drop it afterwards. */
export function testTable(label: string): { name: string; drop(): Promise<void> } {
  const name = `govai_test_${label}_${process.pid}`;
  return {
    name,
    async drop() {
      const pool = new Pool({ connectionString: TEST_DATABASE_URL });
      await pool.query(`DROP TABLE IF EXISTS ${name}`);
      await pool.end();
    },
  };
}
