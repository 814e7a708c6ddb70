import { SHARED_INDEX_DIR } from '../support/app-harness';
import fs from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../../src/app/create-app';
import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import { loadConfig } from '../../src/config/config';
import { learnerKey } from '../../src/core/learner';
import { createLogger } from '../../src/logging/logger';
import { localeString, REPO_ROOT, tempDir } from '../support/app-harness';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';
import { createEveryKindOfRecord, downloadLinksIn, postgresRows, rowsMentioning, teamsClient, teamsLearner } from './privacy-harness';

/** Two instances on one PostgreSQL database: the export link made on one opens on the other; deletion on either reaches everything. */
describe('my data (Teams, two PostgreSQL instances)', () => {
  const table = testTable('privacy');
  const dataDir = tempDir('govai-privacy-pg-');
  const instances: { app: App; url: string }[] = [];
  const learner = teamsLearner('pg');
  const key = learnerKey('msteams', learner.from.aadObjectId);
  const group = `19:privacy-pg-group-${process.pid}@thread.v2`;
  let current = 0;
  // Every message goes to the other instance, like a load balancer without affinity.
  const client = teamsClient(() => instances[current++ % 2].url, learner);
  let certificateId: string;
  let questionId: string;

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const config = loadConfig(
        {
          HOST: '127.0.0.1',
          PORT: '0',
          LOG_LEVEL: 'silent',
          DATA_DIR: dataDir,
          INDEX_DIR: SHARED_INDEX_DIR,
          KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'),
          STORAGE: 'postgres',
          DATABASE_URL: TEST_DATABASE_URL,
          REMINDER_TICK_SECONDS: '0',
          WEBCHAT_ENABLED: 'false',
          RETENTION_PURGE_INTERVAL_HOURS: '0',
        },
        REPO_ROOT,
      );
      const app = await createApp(config, { logger: createLogger({ level: 'silent' }), storage: new PostgresStorage(TEST_DATABASE_URL, table.name) });
      instances.push({ app, url: await app.start() });
    }
    ({ certificateId, questionId } = await createEveryKindOfRecord(client, instances[0].app.storage, key, group));
  });
  afterAll(async () => {
    for (const { app } of instances) await app.stop();
    await table.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports every kind of record, with the link opening on the other instance', async () => {
    current = 0;
    const [link] = downloadLinksIn(await client.press('mydata.export'));
    const onOther = link.replace(instances[0].url, instances[1].url);
    expect(onOther).not.toBe(link);
    const file = await (await fetch(onOther)).json();
    expect(Object.keys(file.sections).sort()).toEqual(['certificates', 'conversationReferences', 'groupPollVotes', 'learnerRecord', 'reminders']);
    expect(file.sections.certificates[0].id).toBe(certificateId);
    expect(Object.values(file.sections.learnerRecord.data.course.quizResults).flatMap((answers) => Object.keys(answers as object))).toEqual([questionId]);
  });

  it('after delete (asked on one instance, confirmed on the other) no row of the table holds anything of the learner', async () => {
    expect(rowsMentioning(await postgresRows(TEST_DATABASE_URL, table.name), learner.needles).length).toBeGreaterThan(3);
    current = 0;
    await client.press('mydata.delete');
    const done = JSON.stringify(await client.say('1'));
    expect(done).toContain(localeString('en', 'privacy', 'delete.done').slice(0, 40));
    const rows = await postgresRows(TEST_DATABASE_URL, table.name);
    expect(rowsMentioning(rows, learner.needles)).toEqual([]);
    expect(rows.filter((row) => row.includes(key))).toEqual([]);
    const verification = await (await fetch(`${instances[0].url}/certificates/${certificateId}`)).json();
    expect(verification).toMatchObject({ revoked: true, reason: "revoked at the holder's request" });
    expect(JSON.stringify(verification)).not.toContain(learner.from.name);
  });
});
