import fs from 'node:fs';
import { createPrivacy, type Privacy } from '../../src/app/create-privacy';
import { CertificateStore } from '../../src/adapters/certificates/certificate-store';
import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { loadConfig } from '../../src/config/config';
import type { CourseCatalog } from '../../src/core/course/content-model';
import { learnerKey, newLearnerRecord, type LearnerRecord } from '../../src/core/learner';
import { DownloadLinks } from '../../src/core/privacy/download-links';
import { reminderKey } from '../../src/core/reminders/reminder-document';
import { createLogger } from '../../src/logging/logger';
import type { StoragePort } from '../../src/ports/storage';
import { REPO_ROOT, tempDir } from '../support/app-harness';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';

const DAY = 86_400_000;
const catalog = { languages: ['en'], get: () => ({ id: 'govai-course' }), has: () => true } as unknown as CourseCatalog;

function privacyOn(storage: StoragePort, env: Record<string, string> = {}): Privacy {
  const config = loadConfig({ RETENTION_PURGE_INTERVAL_HOURS: '24', ...env }, REPO_ROOT);
  const certificates = new CertificateStore(storage, { issuer: { name: 'Org', url: 'https://example.org' }, baseUrl: () => 'http://127.0.0.1' });
  return createPrivacy({ config, storage, logger: createLogger({ level: 'silent' }), certificates, catalog, baseUrl: () => 'http://127.0.0.1' });
}

async function learnerLastSeen(storage: StoragePort, userId: string, lastSeen: Date, questions: string[] = []): Promise<string> {
  const record: LearnerRecord = { ...newLearnerRecord('msteams', userId, lastSeen), name: `Name of ${userId}` };
  record.data.qa = { history: questions.map((question) => ({ question, answer: 'An answer.' })) };
  await storage.write(record.key, record);
  return record.key;
}

describe('retention purge (SQLite)', () => {
  const dir = tempDir('govai-retention-');
  const storage = new SqliteStorage(`${dir}/retention.sqlite`);
  const now = new Date('2026-06-01T03:00:00Z');

  beforeAll(() => storage.open());
  afterAll(async () => {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('erases learners inactive past the period, forgets old questions, drops old audit entries and expired links', async () => {
    const privacy = privacyOn(storage);
    const gone = await learnerLastSeen(storage, 'gone', new Date(now.getTime() - 800 * DAY), ['Old question?']);
    await storage.write(reminderKey(gone), { learnerKey: gone, time: '08:30', active: true });
    const quiet = await learnerLastSeen(storage, 'quiet', new Date(now.getTime() - 120 * DAY), ['What is SyRI?']);
    const active = await learnerLastSeen(storage, 'active', new Date(now.getTime() - 2 * DAY), ['What is X-Road?']);
    await privacy.audit.record({ actor: 'system', action: 'cohort.report', at: new Date(now.getTime() - 400 * DAY) });
    await privacy.audit.record({ actor: 'system', action: 'cohort.report', at: new Date(now.getTime() - 30 * DAY) });

    await storage.write(`qa-log:${new Date(now.getTime() - 100 * DAY).toISOString()}:a1`, { question: 'Old declined question' });
    await storage.write(`qa-log:${new Date(now.getTime() - 10 * DAY).toISOString()}:b2`, { question: 'Recent declined question' });
    const links = new DownloadLinks(storage);
    const expired = await links.create({ kind: 'learner-export', owner: active }, new Date(now.getTime() - DAY));
    const open = await links.create({ kind: 'learner-export', owner: active }, now);

    const run = await privacy.retention.runIfDue(now);
    expect(run).toMatchObject({ outcome: 'ran', purged: { inactiveLearners: 1, questionHistory: 1, questionLog: 1, auditLog: 1, expiredDownloadLinks: 1 } });
    expect(await storage.list('qa-log:')).toHaveLength(1);
    expect(await links.resolve(open, now)).toMatchObject({ owner: active });
    expect(await links.resolve(expired, new Date(now.getTime() - DAY))).toBeUndefined();
    expect(await storage.read(gone)).toBeUndefined();
    expect(await storage.read(reminderKey(gone))).toBeUndefined();
    const quietRecord = (await storage.read<LearnerRecord>(quiet))!.value;
    expect(quietRecord.data.qa).toEqual({ history: [] });
    expect(quietRecord.name).toBe('Name of quiet');
    expect(((await storage.read<LearnerRecord>(active))!.value.data.qa as { history: unknown[] }).history).toHaveLength(1);
    const audit = await privacy.audit.list();
    expect(audit.map((e) => e.action)).toEqual(['cohort.report', 'retention.purge']);
  });

  it('honours configured periods: a shorter inactive-learner period erases more', async () => {
    const privacy = privacyOn(storage, { RETENTION_INACTIVE_LEARNER_DAYS: '30' });
    await storage.delete('lease:retention-purge');
    const run = await privacy.retention.runIfDue(now);
    expect(run).toMatchObject({ outcome: 'ran', purged: { inactiveLearners: 1 } });
    expect(await storage.read(learnerKey('msteams', 'quiet'))).toBeUndefined();
    expect(await storage.read(learnerKey('msteams', 'active'))).toBeDefined();
  });
});

describe('retention purge across two instances (PostgreSQL)', () => {
  const table = testTable('retention');
  const storages = [new PostgresStorage(TEST_DATABASE_URL, table.name), new PostgresStorage(TEST_DATABASE_URL, table.name)];

  beforeAll(async () => {
    for (const s of storages) await s.open();
  });
  afterAll(async () => {
    for (const s of storages) await s.close();
    await table.drop();
  });

  it('runs once per interval however many instances try at the same moment', async () => {
    const instances = storages.map((s) => privacyOn(s));
    const now = new Date('2026-06-01T03:00:00Z');
    await learnerLastSeen(storages[0], 'pg-gone', new Date(now.getTime() - 800 * DAY));
    const first = await Promise.all([...instances, ...instances].map((p) => p.retention.runIfDue(now)));
    expect(first.filter((r) => r.outcome === 'ran')).toHaveLength(1);
    expect(first.filter((r) => r.outcome === 'ran')[0]).toMatchObject({ purged: { inactiveLearners: 1 } });

    const later = new Date(now.getTime() + 2 * 3_600_000);
    expect((await Promise.all(instances.map((p) => p.retention.runIfDue(later)))).map((r) => r.outcome)).toEqual(['not-due', 'not-due']);

    const nextDay = new Date(now.getTime() + 25 * 3_600_000);
    const again = await Promise.all(instances.map((p) => p.retention.runIfDue(nextDay)));
    expect(again.filter((r) => r.outcome === 'ran')).toHaveLength(1);
    const purges = (await instances[1].audit.list()).filter((e) => e.action === 'retention.purge');
    expect(purges).toHaveLength(2);
  });
});
