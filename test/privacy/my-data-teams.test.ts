import fs from 'node:fs';
import { learnerKey } from '../../src/core/learner';
import { localeString, startTestApp, tempDir, type RunningApp } from '../support/app-harness';
import { createEveryKindOfRecord, downloadLinksIn, rowsMentioning, sqliteRows, teamsClient, teamsLearner } from './privacy-harness';

/** `my data` over /api/messages as a Teams learner, on SQLite: export, then delete with confirmation. */
describe('my data (Teams, SQLite)', () => {
  const dataDir = tempDir('govai-privacy-teams-');
  const learner = teamsLearner('teams');
  const key = learnerKey('msteams', learner.from.aadObjectId);
  const group = `19:privacy-group-${process.pid}@thread.v2`;
  let running: RunningApp;
  const client = teamsClient(() => running.url, learner);
  const admin = teamsLearner('admin');
  const adminClient = teamsClient(() => running.url, admin);
  let certificateId: string;
  let questionId: string;

  beforeAll(async () => {
    running = await startTestApp({ DATA_DIR: dataDir, REMINDER_TICK_SECONDS: '0', WEBCHAT_ENABLED: 'false', RETENTION_PURGE_INTERVAL_HOURS: '0', ADMINS: `msteams:${admin.from.aadObjectId}` });
    ({ certificateId, questionId } = await createEveryKindOfRecord(client, running.app.storage, key, group));
  });
  afterAll(async () => {
    await running?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('links the privacy notice from the welcome card and from help, and serves it', async () => {
    expect(JSON.stringify(await client.install())).toContain(`${running.url}/privacy`);
    const help = JSON.stringify(await client.say('help'));
    expect(help).toContain(`${running.url}/privacy`);
    expect(help).toContain(localeString('en', 'privacy', 'help.myData'));
    const notice = await fetch(`${running.url}/privacy`);
    expect(notice.status).toBe(200);
    expect(await notice.text()).toContain('RETENTION_INACTIVE_LEARNER_DAYS');
  });

  it('answers "my data" in every language with Download and Delete, and only in the personal chat', async () => {
    for (const words of ['my data', 'mis datos', 'mes données', 'meus dados', 'بياناتي', 'delete my data', 'exporter mes données']) {
      const card = JSON.stringify(await client.say(words));
      expect(card).toContain('"mydata.export"');
      expect(card).toContain('"mydata.delete"');
      expect(card).toContain(localeString('en', 'privacy', 'card.title'));
    }
    const inGroup = JSON.stringify(await client.say('my data', group));
    expect(inGroup).not.toContain('mydata.export');
    expect(inGroup).toContain('my data');
  });

  it('is on the language (settings) card', async () => {
    expect(JSON.stringify(await client.say('language'))).toContain('"mydata"');
  });

  it('exports every kind of record the learner created as a JSON file behind a short-lived link, with a summary card', async () => {
    const reply = await client.press('mydata.export');
    const card = JSON.stringify(reply);
    expect(card).toContain(localeString('en', 'privacy', 'sections.certificates'));
    expect(card).toContain(localeString('en', 'privacy', 'details.quizAnswers'));
    const [link] = downloadLinksIn(reply);
    expect(link).toMatch(/\/privacy\/export\//);
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="my-data-\d{4}-\d\d-\d\d\.json"/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const file = await res.json();
    expect(file.subject).toEqual({ channelId: 'msteams', userId: learner.from.aadObjectId });
    const { sections } = file;
    expect(Object.keys(sections).sort()).toEqual(['certificates', 'conversationReferences', 'groupPollVotes', 'learnerRecord', 'reminders']);
    expect(sections.learnerRecord.name).toBe(learner.from.name);
    expect(Object.values(sections.learnerRecord.data.course.quizResults).flatMap((answers) => Object.keys(answers as object))).toEqual([questionId]);
    expect(sections.learnerRecord.data.course.place).toBeDefined();
    expect(sections.learnerRecord.data.qa.history[0].question).toContain('SyRI');
    expect(sections.reminders.time).toBe('08:30');
    expect(sections.certificates[0]).toMatchObject({ id: certificateId, learnerName: learner.from.name });
    // The vote is found by its salted hash (the poll itself names nobody).
    expect(sections.groupPollVotes).toEqual([{ poll: expect.stringMatching(`^msteams:${group}:`), question: 'confidence:m1', choice: ['3'] }]);
    expect(sections.conversationReferences.reference.conversation.id).toBe(learner.conversation.id);

    expect((await fetch(link.replace(/[^/]+$/, 'A'.repeat(43)))).status).toBe(404);
  });

  it('deletes nothing without the confirmation, and nothing with a forged one', async () => {
    const warning = JSON.stringify(await client.press('mydata.delete'));
    expect(warning).toContain(localeString('en', 'privacy', 'delete.title'));
    const forged = JSON.stringify(await client.press('mydata.delete.confirm', { code: 'guessed' }));
    expect(forged).toContain(localeString('en', 'privacy', 'delete.expired').slice(0, 30));
    expect(rowsMentioning(sqliteRows(running.app.config.paths.sqlite), learner.needles).length).toBeGreaterThan(3);
    expect(JSON.stringify(await client.press('mydata.delete.cancel'))).toContain(localeString('en', 'privacy', 'delete.cancelled'));
  });

  it('after the confirmation, no table holds anything of the learner, and the certificate says it was revoked at their request', async () => {
    await client.press('mydata.delete');
    // "1" is the first button of the confirmation card: "Yes, delete everything".
    const done = JSON.stringify(await client.say('1'));
    expect(done).toContain(localeString('en', 'privacy', 'delete.done').slice(0, 40));

    const rows = sqliteRows(running.app.config.paths.sqlite);
    expect(rows.length).toBeGreaterThan(0);
    expect(rowsMentioning(rows, learner.needles)).toEqual([]);
    expect(rows.filter((row) => row.includes(key))).toEqual([]);

    const verification = await fetch(`${running.url}/certificates/${certificateId}`);
    expect(verification.status).toBe(410);
    const body = await verification.json();
    expect(body).toMatchObject({ valid: false, revoked: true, reason: "revoked at the holder's request" });
    expect(JSON.stringify(body)).not.toContain(learner.from.name);
    expect((await fetch(`${running.url}/certificates/${certificateId}.pdf`)).status).toBe(410);

    // The erasure itself is in the audit log, naming nobody.
    const audit = await running.app.privacy.audit.list();
    expect(audit.map((e) => e.action)).toContain('learner.erase');
  });

  it('starts from scratch when the learner writes again', async () => {
    const progress = JSON.stringify(await client.say('progress'));
    expect(progress).toMatch(/0 of \d+ lessons/);
  });

  it('lets an administrator erase another learner on request, after a confirmation, and audits it', async () => {
    const other = teamsLearner('other');
    const otherClient = teamsClient(() => running.url, other);
    await otherClient.say('start');
    await otherClient.say('remind me at 09:15');
    const id = `msteams:${other.from.aadObjectId}`;
    expect(JSON.stringify(await client.say(`erase learner ${id}`))).toContain(localeString('en', 'privacy', 'audit.notAdmin'));
    expect(JSON.stringify(await adminClient.say('erase learner msteams:nobody-here'))).toContain('msteams:nobody-here');

    const confirm = JSON.stringify(await adminClient.say(`erase learner ${id}`));
    expect(confirm).toContain('"admin.erase.confirm"');
    expect(rowsMentioning(sqliteRows(running.app.config.paths.sqlite), other.needles).length).toBeGreaterThan(1);
    expect(JSON.stringify(await adminClient.say('1'))).toContain(localeString('en', 'privacy', 'adminErase.done').slice(0, 30));
    expect(rowsMentioning(sqliteRows(running.app.config.paths.sqlite), other.needles)).toEqual([]);
    const erasures = (await running.app.privacy.audit.list()).filter((e) => e.action === 'learner.erase');
    expect(erasures.map((e) => e.actor)).toContain(learnerKey('msteams', admin.from.aadObjectId));
  });

  it('lets only an administrator export the access log, and records each export in it', async () => {
    const refused = JSON.stringify(await client.say('audit log'));
    expect(refused).toContain(localeString('en', 'privacy', 'audit.notAdmin'));
    expect(downloadLinksIn(refused)).toEqual([]);

    await adminClient.say('audit log 7');
    const [link] = downloadLinksIn(await adminClient.say('audit log'));
    const file = await (await fetch(link)).json();
    expect(file.format).toBe('govai-coach.audit-log/1');
    const actions = file.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['learner.erase', 'audit.export']));
    const erasure = file.entries.find((e: { action: string }) => e.action === 'learner.erase');
    expect(erasure).toMatchObject({ actor: 'data-subject' });
    expect(typeof erasure.at).toBe('string');
    expect(JSON.stringify(file)).not.toContain(learner.from.aadObjectId);
    const adminExport = file.entries.find((e: { action: string }) => e.action === 'audit.export');
    expect(adminExport.actor).toBe(learnerKey('msteams', admin.from.aadObjectId));
  });
});
