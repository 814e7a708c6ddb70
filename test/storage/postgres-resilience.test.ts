import { SHARED_INDEX_DIR } from '../support/app-harness';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Pool } from 'pg';
import { createApp, type App } from '../../src/app/create-app';
import { createStorage } from '../../src/app/create-storage';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { escapeRegExp, exchange, localeString, REPO_ROOT, teamsActivity, tempDir } from '../support/app-harness';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';

/**
 * A TCP proxy in front of the real PostgreSQL. `stall()` makes it behave like a database
 * (or network) that hangs: connections stay open, nothing is answered, new ones are accepted
 * and ignored. `resume()` forwards new connections again.
 */
async function startStallingProxy(target: { host: string; port: number }) {
  let stalled = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (stalled) return;
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    client.on('data', (chunk) => {
      if (!stalled) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!stalled) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    stall: () => void (stalled = true),
    resume: () => void (stalled = false),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const dbUrl = new URL(TEST_DATABASE_URL);
const APPLICATION_NAME = `govai_resilience_${process.pid}`;

describe('PostgreSQL faults under a running bot', () => {
  const table = testTable('resilience');
  const admin = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
  let proxy: Awaited<ReturnType<typeof startStallingProxy>>;
  let app: App;
  let url: string;
  const logLines: { level: number; msg: string }[] = [];

  beforeAll(async () => {
    proxy = await startStallingProxy({ host: dbUrl.hostname, port: Number(dbUrl.port || 5432) });
    const proxied = new URL(TEST_DATABASE_URL);
    proxied.port = String(proxy.port);
    proxied.searchParams.set('application_name', APPLICATION_NAME);
    const config = loadConfig(
      {
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        DATA_DIR: tempDir(),
        INDEX_DIR: SHARED_INDEX_DIR,
        KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'),
        REMINDER_TICK_SECONDS: '0',
        STORAGE: 'postgres',
        DATABASE_URL: proxied.toString(),
      },
      REPO_ROOT,
    );
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        callback();
      },
    });
    const logger = createLogger({ level: 'warn', destination });
    app = await createApp(config, { logger, storage: createStorage(config, { logger, table: table.name }) });
    url = await app.start();
  });
  afterAll(async () => {
    await app.stop();
    await proxy.close();
    await admin.end();
    await table.drop();
  });

  const backendsOfTheBot = async () => Number((await admin.query('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [APPLICATION_NAME])).rows[0].n);

  it('survives the database terminating all of its connections, and answers the next turn', async () => {
    const learner = { id: '29:kim', name: 'Kim', aadObjectId: 'aad-kim' };
    expect(JSON.stringify(await exchange(url, teamsActivity({ text: 'help', from: learner })))).toMatch(/What I can do/);
    expect(await backendsOfTheBot()).toBeGreaterThan(0);

    const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [APPLICATION_NAME]);
    expect(rowCount).toBeGreaterThan(0);
    while ((await backendsOfTheBot()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));

    // The pool reports the lost connections to the bot's handler: unhandled, that 'error' event ends the process.
    const handled = () => logLines.some((l) => l.msg === 'PostgreSQL connection lost; it will be replaced');
    for (let wait = 0; wait < 100 && !handled(); wait++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handled()).toBe(true);
    // The bot reconnects for the next turn.
    const replies = await exchange(url, teamsActivity({ text: 'help', from: learner }));
    expect(JSON.stringify(replies)).toMatch(/What I can do/);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('answers with the localized error reply while the database hangs, reports not ready, and recovers', async () => {
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    proxy.stall();
    try {
      const replies = await exchange(url, teamsActivity({ text: 'help', locale: 'fr-FR', from: { id: '29:lou', name: 'Lou', aadObjectId: 'aad-lou' } }));
      expect(replies).toHaveLength(1);
      expect(JSON.stringify(replies[0])).toMatch(escapeRegExp(localeString('fr', 'common', 'error.title')));

      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not_ready', checks: { storage: 'failing', content: 'ok', index: 'ok' } });
      // Liveness is unaffected: the process is fine, only its database is not.
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      proxy.resume();
    }

    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      status = (await fetch(`${url}/readyz`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
    expect(JSON.stringify(await exchange(url, teamsActivity({ text: 'help', from: { id: '29:lou', name: 'Lou', aadObjectId: 'aad-lou' } })))).toMatch(/What I can do/);
  }, 30_000);
});
