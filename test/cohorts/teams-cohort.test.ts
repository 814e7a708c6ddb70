import type { App } from '../../src/app/create-app';
import { AuditLog } from '../../src/core/privacy/audit-log';
import { exchange, localeString, postJson, teamsActivity } from '../support/app-harness';
import { cardActions } from '../teams/card-support';
import { APP_START_BUDGET_MS, BOT, CHANNEL, FAY, cardOf, cardText, channelMessage, passUntil, personalMessage, recordProgress, startCohortApp } from './cohort-harness';
import { channelRoster, startTeamsStandIn } from './teams-connector-stand-in';
import { startFileServer } from './file-server';

const MEMBER_2 = { id: '29:m2', name: 'Member 2', aadObjectId: 'aad-m2' };
const NOT_INSTALLED = { id: '29:ni', name: 'Nia Notinstalled', aadObjectId: 'aad-ni', userRole: 'user' };
const BLOCKED = { id: '29:bo', name: 'Bo Blocked', aadObjectId: 'aad-bo', userRole: 'user' };
const EVE = { id: '29:eve', name: 'Eve Enrolled', aadObjectId: 'aad-eve', userPrincipalName: 'eve@gov.example', userRole: 'user' };
const LATE = { id: '29:late', name: 'Lea Late', aadObjectId: 'aad-late', userRole: 'user' };
const IVY = { id: '29:ivy', name: 'Ivy Imported', aadObjectId: 'aad-ivy', userPrincipalName: 'ivy@gov.example', userRole: 'user' };
const FILE_INFO = 'application/vnd.microsoft.teams.file.download.info';
const BOM = '\ufeff';
const en = (key: string) => localeString('en', 'cohorts', key);

describe('cohorts in a Teams channel (connector stand-in)', () => {
  let standIn: Awaited<ReturnType<typeof startTeamsStandIn>>;
  let files: Awaited<ReturnType<typeof startFileServer>>;
  /** A local host nobody listed: the bot must not fetch from it. */
  let unlisted: Awaited<ReturnType<typeof startFileServer>>;
  let app: App;
  let url: string;
  const learners = Array.from({ length: 12 }, (_, i) => `29:m${i + 1}`);

  beforeAll(async () => {
    standIn = await startTeamsStandIn({
      channels: {
        [CHANNEL]: channelRoster(12, [NOT_INSTALLED, BLOCKED]),
        '19:forbidden@thread.tacv2': [],
        '19:gone@thread.tacv2': [],
        '19:busy@thread.tacv2': [],
        '19:broken@thread.tacv2': [],
        '19:elsewhere@thread.tacv2': [LATE, EVE, IVY],
      },
      // Lea is in another channel of the team (the connector knows her); she joins the pilot channel later.
      // The bot is not installed for Nia: Teams refuses to create the chat; Bo blocked the bot. The roster of two channels fails.
      fail: ({ method, path, body }) => {
        if (method === 'POST' && path.startsWith(`/v3/conversations/a:personal-${BLOCKED.id}/activities`)) return { status: 403 };
        if (method === 'POST' && path === '/v3/conversations' && body?.members?.[0]?.id === NOT_INSTALLED.id) return { status: 403 };
        if (path.includes('19:forbidden@thread.tacv2/pagedmembers')) return { status: 403 };
        if (path.includes('19:gone@thread.tacv2/pagedmembers')) return { status: 404 };
        if (path.includes('19:busy@thread.tacv2/pagedmembers')) return { status: 429, headers: { 'Retry-After': '0' } };
        if (path.includes('19:broken@thread.tacv2/pagedmembers')) return { status: 503 };
        return undefined;
      },
    });
    files = await startFileServer({
      '/people.csv': { body: `${BOM}Name,E-mail\r\n"Imported, Ivy",ivy@gov.example\r\nMember 5,m5@gov.example\r\n`, length: true },
      '/bad-lines.csv': { body: 'Name,E-mail\nIvy,ivy@gov.example\nsee the attached list\nNobody,nobody@gov.example\n' },
      '/unknown.csv': { body: 'ivy@gov.example\nnobody@gov.example\n' },
      '/huge.csv': { body: `Name,E-mail\n${'x@gov.example\n'.repeat(90_000)}` },
      '/huge-declared.csv': { body: `Name,E-mail\n${'x@gov.example\n'.repeat(90_000)}`, length: true },
      '/binary.csv': { body: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]) },
      '/moved.csv': { status: 302, headers: { location: 'https://attacker.example/people.csv' } },
    });
    unlisted = await startFileServer({ '/people.csv': { body: 'ivy@gov.example\n' } });
    ({ app, url } = await startCohortApp({ FACILITATORS: 'aad-fay', LOCAL_SERVICE_URLS: `${standIn.serviceUrl},${files.url}` }));
  }, APP_START_BUDGET_MS);
  afterAll(async () => {
    await app.stop();
    await standIn.close();
    await files.close();
    await unlisted.close();
  });

  it('refuses cohort commands from someone who is not a facilitator, politely and in their language', async () => {
    const [reply] = await exchange(url, { ...channelMessage(standIn.serviceUrl, 'cohort new Pilot cohort', MEMBER_2), locale: 'fr-FR' });
    expect(cardText(cardOf(reply))).toBe(localeString('fr', 'cohorts', 'errors.notFacilitator'));
    expect(standIn.rosterCalls).toHaveLength(0);
  });

  it('asks for a channel when a cohort is created in a personal chat', async () => {
    const [reply] = await exchange(url, personalMessage(standIn.serviceUrl, 'cohort new Pilot cohort'));
    expect(cardText(cardOf(reply))).toContain('Cohorts are created in a team channel');
  });

  it('creates the cohort from the paged roster, welcomes each of the 12 members once and reports delivery to the facilitator', async () => {
    const [reply] = await exchange(url, channelMessage(standIn.serviceUrl, 'cohort new Pilot cohort'));
    const card = cardOf(reply);
    expect(card.body[0].text).toBe('Cohort “Pilot cohort” created');
    // 12 learners, Nia and Bo; the facilitator, the bot and the guest are not members.
    expect(cardText(card)).toContain('14 members joined the cohort (1 bots and 1 guests were left out)');
    expect(standIn.rosterCalls.length).toBeGreaterThan(1); // paged: 17 entries, 5 a page

    await passUntil([app], () => standIn.postsTo(FAY.id).length > 0);
    for (const id of learners) {
      const welcomes = standIn.postsTo(id);
      expect(welcomes).toHaveLength(1);
      const welcome = cardOf(welcomes[0]);
      expect(welcome.body[0].text).toBe('Welcome to “Pilot cohort”');
      expect(cardText(welcome)).toMatch(/Module 1: .+, from/);
      expect(cardText(welcome)).toContain('Your first lesson');
      expect(cardActions(welcome).map((a) => a.data.command)).toContain('start');
    }
    expect(standIn.postsTo(NOT_INSTALLED.id)).toHaveLength(0);
    expect(standIn.postsTo('29:guest')).toHaveLength(0);

    const [report] = standIn.postsTo(FAY.id);
    const delivery = cardOf(report);
    expect(delivery.body[0].text).toBe('Welcomes for “Pilot cohort”');
    const facts = Object.fromEntries(delivery.body.find((b: any) => b.type === 'FactSet').facts.map((f: any) => [f.title, f.value]));
    expect(facts).toMatchObject({ Reached: '12', 'Not reachable': '2', 'Bots left out': '1', 'Guests left out': '1' });
    expect(cardText(delivery)).toContain('Nia Notinstalled');
    expect(cardText(delivery)).toContain(en('delivery.reason.not-installed'));
    expect(cardText(delivery)).toContain('Bo Blocked');
    expect(cardText(delivery)).toContain(en('delivery.reason.blocked'));

    // More passes (or a restart) send nothing again.
    const before = standIn.posts.length;
    await app.cohortWelcomes.tick();
    await app.cohortWelcomes.tick();
    expect(standIn.posts).toHaveLength(before);
  });

  it('shows the cohort card with its dates and plan, and a button shifts the plan', async () => {
    const [reply] = await exchange(url, channelMessage(standIn.serviceUrl, 'cohort'));
    const card = cardOf(reply);
    const facts = Object.fromEntries(card.body.find((b: any) => b.type === 'FactSet').facts.map((f: any) => [f.title, f.value]));
    expect(facts).toMatchObject({ Members: '14', 'Time zone': 'UTC', Language: 'English', Facilitators: 'Fay Facilitator' });
    const later = cardActions(card).find((a) => a.title === 'Plan one week later');
    const [shifted] = await exchange(url, { ...channelMessage(standIn.serviceUrl, ''), text: undefined, value: later.data });
    const newFacts = Object.fromEntries(
      cardOf(shifted)
        .body.find((b: any) => b.type === 'FactSet')
        .facts.map((f: any) => [f.title, f.value]),
    );
    expect(Date.parse(newFacts.Start) - Date.parse(facts.Start)).toBe(7 * 86_400_000);
    // And back, typed with an exact date.
    const [typed] = await exchange(url, channelMessage(standIn.serviceUrl, `cohort start ${new Date().toISOString().slice(0, 10)}`));
    expect(cardText(cardOf(typed))).toContain('Saved.');
    const [bad] = await exchange(url, channelMessage(standIn.serviceUrl, 'cohort start next monday'));
    expect(cardText(cardOf(bad))).toBe(en('errors.badDate'));
  });

  it("answers report in the facilitator's personal chat only, with counts against the plan; a learner is refused", async () => {
    const now = new Date().toISOString();
    // Five learners finished module 1 with scores; two have a module 2 score; one holds the certificate.
    for (let i = 1; i <= 5; i++) {
      await recordProgress(app.storage, `aad-m${i}`, (p) => {
        p.modulesDone.m1 = now;
        p.quizScores.m1 = { score: i === 1 ? 1 : 0.8, passed: true, at: now };
        if (i <= 2) p.quizScores.m2 = { score: 0.9, passed: true, at: now };
      });
    }
    await recordProgress(app.storage, 'aad-m1', (p) => {
      for (const m of ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']) p.modulesDone[m] = now;
      p.finalPassedAt = now;
      p.certificateId = '00000000-0000-4000-8000-000000000001';
    });

    const [refused] = await exchange(url, channelMessage(standIn.serviceUrl, 'report', MEMBER_2));
    expect(cardText(cardOf(refused))).toBe(en('errors.notFacilitator'));
    expect(standIn.postsTo(MEMBER_2.id)).toHaveLength(1); // only the welcome

    const privateBefore = standIn.postsTo(FAY.id).length;
    const [inChannel] = await exchange(url, channelMessage(standIn.serviceUrl, 'report'));
    expect(cardText(cardOf(inChannel))).toBe(en('private.sent'));
    expect(cardText(cardOf(inChannel))).not.toMatch(/Member|Module/);
    const sent = standIn.postsTo(FAY.id);
    expect(sent).toHaveLength(privateBefore + 1);
    const report = cardOf(sent[sent.length - 1]);
    const text = cardText(report);
    expect(report.body[0].text).toBe('Progress of “Pilot cohort”');
    expect(text).toMatch(/Module 1: .+\n5\/14\ncompleted by 5 of 14 · opens .+ · average score 84%/);
    expect(text).toMatch(/Module 2: .+\n1\/14\ncompleted by 1 of 14 · opens .+ · average score shown once 5 learners have a score/);
    expect(text).toContain('1 member finished and holds a certificate');
    expect(text).toContain('نور الهدى');
  });

  it('export gives a signed, short-lived CSV link in personal chat, one row per member, and records it in the audit log', async () => {
    const before = standIn.postsTo(FAY.id).length;
    const [inChannel] = await exchange(url, channelMessage(standIn.serviceUrl, 'export'));
    expect(cardText(cardOf(inChannel))).toBe(en('private.sent'));
    const sent = standIn.postsTo(FAY.id);
    expect(sent).toHaveLength(before + 1);
    const link = cardActions(cardOf(sent[sent.length - 1])).find((a) => a.type === 'Action.OpenUrl').url as string;
    expect(link.startsWith(`${url}/cohorts/exports/`)).toBe(true);

    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Name,E-mail or UPN,Modules completed,Final assessment passed,Certificate id,Certificate date,Last active');
    expect(lines).toHaveLength(1 + 14);
    // A name with a comma and quotes is quoted correctly; the certificate holder's row says so.
    expect(lines).toContain(`"نور الهدى, ""Noor""",m1@gov.example,6/6,yes,00000000-0000-4000-8000-000000000001,,${new Date().toISOString().slice(0, 10)}`);

    const tampered = link.replace(/sig=([0-9a-f])/, (_m, c) => `sig=${c === 'a' ? 'b' : 'a'}`);
    expect((await fetch(tampered)).status).toBe(404);

    const audit = (await new AuditLog(app.storage).list()).filter((e) => e.action === 'cohort.export');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'learner:msteams:aad-fay', detail: { rows: 14 } });
  });

  it('welcomes someone who joins the channel later (membersAdded), once', async () => {
    const joined = teamsActivity({
      type: 'conversationUpdate',
      serviceUrl: standIn.serviceUrl,
      from: FAY,
      recipient: BOT,
      membersAdded: [{ id: LATE.id }],
      conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
      channelData: { channel: { id: CHANNEL }, tenant: { id: 'tenant-1' }, eventType: 'teamMemberAdded' },
      deliveryMode: undefined,
    });
    expect((await postJson(`${url}/api/messages`, joined)).status).toBeLessThan(300);
    await passUntil([app], () => standIn.postsTo(LATE.id).length > 0);
    await postJson(`${url}/api/messages`, { ...joined, id: `${joined.id}-again` });
    await app.cohortWelcomes.tick();
    expect(standIn.postsTo(LATE.id)).toHaveLength(1);
    expect(cardOf(standIn.postsTo(LATE.id)[0]).body[0].text).toBe('Welcome to “Pilot cohort”');
  });

  it('enrols a pasted list of e-mails/UPNs: bad lines are named and nothing is half-imported', async () => {
    const [bad] = await exchange(url, channelMessage(standIn.serviceUrl, 'cohort enrol\neve@gov.example\nplease add my team\nm5@gov.example'));
    const badText = cardText(cardOf(bad));
    expect(badText).toContain(en('enrol.nothingImported'));
    expect(badText).toContain('Line 2\n“please add my team” is not an e-mail address or UPN.');
    const [unknown] = await exchange(url, channelMessage(standIn.serviceUrl, 'cohort enrol\nName,E-mail\nEve,eve@gov.example\nNobody,nobody@gov.example'));
    expect(cardText(cardOf(unknown))).toContain('Line 3\nNobody with the address nobody@gov.example was found in your organisation.');
    expect(standIn.postsTo(EVE.id)).toHaveLength(0);

    const [done] = await exchange(url, channelMessage(standIn.serviceUrl, 'cohort enrol\nName,E-mail\nEve,eve@gov.example\nMember 5,m5@gov.example'));
    expect(cardText(cardOf(done))).toContain('1 person added (1 were already in the cohort).');
    await passUntil([app], () => standIn.postsTo(EVE.id).length > 0);
    expect(cardOf(standIn.postsTo(EVE.id)[0]).body[0].text).toBe('Welcome to “Pilot cohort”');
  });

  it('enrols an uploaded CSV (file.download.info): downloaded after the role check, bounded, with line-numbered errors and nothing half-imported', async () => {
    const withFile = (from: Record<string, string>, name: string, downloadUrl: string, fileType = 'csv') => ({
      ...channelMessage(standIn.serviceUrl, 'cohort enrol', from),
      attachments: [{ contentType: FILE_INFO, name, contentUrl: 'https://contoso.sharepoint.com/people.csv', content: { downloadUrl, uniqueId: 'file-1', fileType } }],
    });
    const say = async (activity: Record<string, unknown>) => cardText(cardOf((await exchange(url, activity))[0]));
    const fill = (key: string, name: string) => en(key).replace('{{name}}', name).replace('{{max}}', '1024');

    expect(await say(withFile(MEMBER_2, 'people.csv', `${files.url}people.csv`))).toBe(en('errors.notFacilitator'));
    expect(files.requests).toHaveLength(0);

    const bad = await say(withFile(FAY, 'bad-lines.csv', `${files.url}bad-lines.csv`));
    expect(bad).toContain(en('enrol.nothingImported'));
    expect(bad).toContain('Line 3\n“see the attached list” is not an e-mail address or UPN.');
    const unknown = await say(withFile(FAY, 'unknown.csv', `${files.url}unknown.csv`));
    expect(unknown).toContain('Line 2\nNobody with the address nobody@gov.example was found in your organisation.');

    expect(await say(withFile(FAY, 'huge.csv', `${files.url}huge.csv`))).toBe(fill('enrol.upload.too-big', 'huge.csv'));
    expect(await say(withFile(FAY, 'huge.csv', `${files.url}huge-declared.csv`))).toBe(fill('enrol.upload.too-big', 'huge.csv'));
    expect(await say(withFile(FAY, 'people.pdf', `${files.url}people.csv`, 'pdf'))).toBe(fill('enrol.upload.not-csv', 'people.pdf'));
    expect(await say(withFile(FAY, 'binary.csv', `${files.url}binary.csv`))).toBe(fill('enrol.upload.not-csv', 'binary.csv'));
    expect(await say(withFile(FAY, 'gone.csv', `${files.url}gone.csv`))).toBe(fill('enrol.upload.download-failed', 'gone.csv'));
    // Other hosts are refused before any request: an unlisted local port, plain http, a redirect elsewhere.
    for (const target of [`${unlisted.url}people.csv`, 'http://contoso.sharepoint.com/people.csv', `${files.url}moved.csv`]) {
      expect(await say(withFile(FAY, 'people.csv', target))).toBe(fill('enrol.upload.download-failed', 'people.csv'));
    }
    expect(unlisted.requests).toHaveLength(0);
    expect(standIn.postsTo(IVY.id)).toHaveLength(0);

    // A malformed file attachment is a precise 400.
    const malformed = await postJson(`${url}/api/messages`, { ...withFile(FAY, 'people.csv', 'not a url'), deliveryMode: undefined });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toContain('attachments.0.content.downloadUrl');

    // Excel's "CSV UTF-8": a BOM, CRLF line ends and a quoted name with a comma.
    const done = await say(withFile(FAY, 'people.csv', `${files.url}people.csv`));
    expect(done).toContain('1 person added (1 were already in the cohort).');
    await passUntil([app], () => standIn.postsTo(IVY.id).length > 0);
    expect(cardOf(standIn.postsTo(IVY.id)[0]).body[0].text).toBe('Welcome to “Pilot cohort”');

    // Sent in the facilitator's personal chat (the app supports files there), it goes to the cohort they run.
    const personal = { ...personalMessage(standIn.serviceUrl, 'cohort enrol'), attachments: withFile(FAY, 'people.csv', `${files.url}unknown.csv`).attachments };
    expect(await say(personal)).toContain('Line 2\nNobody with the address nobody@gov.example was found in your organisation.');
  });

  it('ask an expert: the question reaches the facilitator with passages, and the typed answer reaches the learner 1:1', async () => {
    const learner = { id: '29:m3', name: 'Member 3', aadObjectId: 'aad-m3' };
    const before = standIn.postsTo(FAY.id).length;
    const [asked] = await exchange(url, personalMessage(standIn.serviceUrl, 'ask an expert How should my ministry start an AI procurement pilot?', learner));
    const code = /reference (\w{5})/.exec(cardText(cardOf(asked)))?.[1];
    expect(code).toBeDefined();
    const toFay = standIn.postsTo(FAY.id);
    expect(toFay).toHaveLength(before + 1);
    const questionCard = cardOf(toFay[toFay.length - 1]);
    expect(questionCard.body[0].text).toBe('Question from Member 3');
    expect(cardText(questionCard)).toContain('“How should my ministry start an AI procurement pilot?”');
    expect(cardText(questionCard)).toContain('What the course says nearby');
    expect(cardText(questionCard)).toMatch(/Language\nEnglish/);

    const [listed] = await exchange(url, personalMessage(standIn.serviceUrl, 'questions'));
    expect(cardText(cardOf(listed))).toContain(`${code} · open`);
    const [refused] = await exchange(url, personalMessage(standIn.serviceUrl, `answer ${code} I know better`, MEMBER_2));
    expect(cardText(cardOf(refused))).toBe(en('errors.notFacilitator'));

    const learnerBefore = standIn.postsTo(learner.id).length;
    const [done] = await exchange(url, personalMessage(standIn.serviceUrl, `answer ${code} Start small, with one service and a clear exit clause.`));
    expect(cardText(cardOf(done))).toBe(`Your answer to ${code} reached the learner.`);
    const toLearner = standIn.postsTo(learner.id);
    expect(toLearner).toHaveLength(learnerBefore + 1);
    const answer = cardOf(toLearner[toLearner.length - 1]);
    expect(answer.body[0].text).toBe('An answer to your question');
    expect(cardText(answer)).toContain('You asked: “How should my ministry start an AI procurement pilot?”');
    expect(cardText(answer)).toContain('Start small, with one service and a clear exit clause.');
    const [again] = await exchange(url, personalMessage(standIn.serviceUrl, `answer ${code} Twice?`));
    expect(cardText(cardOf(again))).toBe(`Question ${code} has already been answered.`);
  });

  it('answers from the box on the question card: an empty answer is refused, the answer reaches the learner 1:1 and the card shows it was answered', async () => {
    const learner = { id: '29:m6', name: 'Member 6', aadObjectId: 'aad-m6' };
    const [asked] = await exchange(url, personalMessage(standIn.serviceUrl, 'ask an expert Who signs off a data protection impact assessment?', learner));
    const code = /reference (\w{5})/.exec(cardText(cardOf(asked)))![1];
    const index = standIn.posts.findIndex((p) => p.conversationId === `a:personal-${FAY.id}` && JSON.stringify(p.activity).includes(code));
    const card = cardOf(standIn.posts[index].activity);
    const box = card.body.find((b: any) => b.type === 'Input.Text');
    expect(box).toMatchObject({ id: 'text', label: en('expert.answerLabel'), isMultiline: true, maxLength: 2000 });
    const send = cardActions(card).find((a) => a.title === en('expert.sendAnswer'));
    expect(send).toMatchObject({ type: 'Action.Execute', data: { command: 'expert.answer', args: { question: code } }, fallback: { type: 'Action.Submit' } });

    // What Teams sends for Action.Execute: the card's data with the box's value merged in, as a reply to the card.
    const press = (from: Record<string, string>, text: string) =>
      postJson(`${url}/api/messages`, {
        ...personalMessage(standIn.serviceUrl, '', from),
        type: 'invoke',
        name: 'adaptiveCard/action',
        text: undefined,
        deliveryMode: undefined,
        replyToId: `activity-${index + 1}`,
        value: { action: { type: 'Action.Execute', verb: send.verb, data: { ...send.data, text } }, trigger: 'manual' },
      });
    const learnerBefore = standIn.postsTo(learner.id).length;
    const empty = await press(FAY, '   ');
    expect(empty.body).toMatchObject({ statusCode: 200, value: en('expert.answerEmpty').replace('{{id}}', code) });
    expect(standIn.updates).toHaveLength(0);
    const refused = await press(MEMBER_2, 'Me!');
    expect(refused.body.value).toBe(en('errors.notFacilitator'));

    const done = await press(FAY, 'The data protection officer advises;\nthe head of the service signs.');
    expect(done.body.value).toBe(`Your answer to ${code} reached the learner.`);
    const toLearner = standIn.postsTo(learner.id);
    expect(toLearner).toHaveLength(learnerBefore + 1);
    const answer = cardOf(toLearner[toLearner.length - 1]);
    expect(answer.body[0].text).toBe('An answer to your question');
    expect(cardText(answer)).toContain('You asked: “Who signs off a data protection impact assessment?”');
    expect(cardText(answer)).toContain('the head of the service signs.');
    // The pressed card, updated in place: the answer and who gave it, and no box any more.
    expect(standIn.updates.map((u) => [u.conversationId, u.activityId])).toEqual([[`a:personal-${FAY.id}`, `activity-${index + 1}`]]);
    const updated = cardOf(standIn.updates[0].activity);
    expect(cardText(updated)).toContain('Answered by Fay Facilitator');
    expect(cardText(updated)).toContain('the head of the service signs.');
    expect(cardText(updated)).toMatch(/Status\nanswered/);
    expect(updated.body.some((b: any) => b.type === 'Input.Text')).toBe(false);

    // The Action.Submit fallback (older clients) arrives as a message: the question is answered already.
    const [again] = await exchange(url, { ...personalMessage(standIn.serviceUrl, '', FAY), text: undefined, replyToId: `activity-${index + 1}`, value: { ...send.fallback.data, text: 'Twice?' } });
    expect(cardText(cardOf(again))).toBe(`Question ${code} has already been answered.`);
    expect(standIn.postsTo(learner.id)).toHaveLength(learnerBefore + 1);
  });

  it('lets a facilitator add a co-facilitator by @mention, who can then run the report', async () => {
    const bea = { id: '29:m4', name: 'Member 4', aadObjectId: 'aad-m4' };
    const [before] = await exchange(url, channelMessage(standIn.serviceUrl, 'report', bea));
    expect(cardText(cardOf(before))).toBe(en('errors.notFacilitator'));
    const [nobody] = await exchange(url, channelMessage(standIn.serviceUrl, 'cohort add facilitator <at>Someone Else</at>'));
    expect(cardText(cardOf(nobody))).toBe(en('facilitator.notMember'));
    const [added] = await exchange(url, channelMessage(standIn.serviceUrl, 'cohort add facilitator <at>Member 4</at>'));
    expect(cardText(cardOf(added))).toContain('Member 4 can now run this cohort too.');
    const [report] = await exchange(url, channelMessage(standIn.serviceUrl, 'report', bea));
    expect(cardText(cardOf(report))).toBe(en('private.sent'));
    expect(cardOf(standIn.postsTo(bea.id).at(-1)).body[0].text).toBe('Progress of “Pilot cohort”');
  });

  it('offers "Ask an expert" on course answers, and tells a learner without cohort or experts channel that nobody can answer', async () => {
    const outsider = { id: '29:out', name: 'Olga Outsider', aadObjectId: 'aad-out' };
    const [answer] = await exchange(url, personalMessage(standIn.serviceUrl, 'What did the court decide about SyRI?', outsider));
    const button = cardActions(cardOf(answer)).find((a) => a.title === 'Ask an expert');
    expect(button?.data).toMatchObject({ command: 'expert.ask', args: { question: 'What did the court decide about SyRI?' } });
    const [nobody] = await exchange(url, { ...personalMessage(standIn.serviceUrl, '', outsider), text: undefined, value: button.data });
    expect(cardText(cardOf(nobody))).toBe(en('expert.nobody'));
  });

  for (const [conversation, key] of [
    ['19:forbidden@thread.tacv2', 'forbidden'],
    ['19:gone@thread.tacv2', 'not-found'],
    ['19:busy@thread.tacv2', 'throttled'],
    ['19:broken@thread.tacv2', 'unavailable'],
  ] as const) {
    it(`explains a roster call that fails (${key})`, async () => {
      const [reply] = await exchange(url, channelMessage(standIn.serviceUrl, 'cohort new Other', FAY, conversation));
      expect(cardText(cardOf(reply))).toBe(en(`errors.roster.${key}`));
    });
  }
});
