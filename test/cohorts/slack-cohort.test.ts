import type { App } from '../../src/app/create-app';
import { signSlackRequest } from '../../src/channels/slack/slack-signature';
import { localeString } from '../support/app-harness';
import { blockKitProblems } from '../slack/block-kit-limits';
import { SlackApiRecorder } from '../slack/slack-api-recorder';
import { APP_START_BUDGET_MS, passUntil, recordProgress, startCohortApp } from './cohort-harness';

const SECRET = 'cohort-signing-secret';
const PILOT = 'CPILOT';
const learners = Array.from({ length: 12 }, (_, i) => `U${i + 1}`);
const en = (key: string) => localeString('en', 'cohorts', key);

/** The workspace the recorder pretends to be: who is in which channel, and who they are. */
const users: Record<string, Record<string, unknown>> = {
  UFAY: { id: 'UFAY', real_name: 'Fay Facilitator', profile: { email: 'fay@gov.example' } },
  ...Object.fromEntries(learners.map((id, i) => [id, { id, real_name: i === 0 ? 'نور الهدى' : `Member ${i + 1}`, profile: { email: `${id.toLowerCase()}@gov.example` } }])),
  UOTHERBOT: { id: 'UOTHERBOT', name: 'otherbot', is_bot: true },
  UGUEST: { id: 'UGUEST', real_name: 'Gus Guest', is_restricted: true },
  UGONE: { id: 'UGONE', real_name: 'Gone', deleted: true },
  ULATE: { id: 'ULATE', real_name: 'Lea Late', profile: { email: 'lea@gov.example' } },
  UENROL: { id: 'UENROL', real_name: 'Eve Enrolled', profile: { email: 'eve@gov.example' } },
  UCSV: { id: 'UCSV', real_name: 'Cai From CSV', profile: { email: 'cai@gov.example' } },
  UDM: { id: 'UDM', real_name: 'Dora From DM', profile: { email: 'dora@gov.example' } },
};
const pilotMembers = ['UFAY', ...learners, 'UOTHERBOT', 'UGUEST', 'UGONE'];

describe('cohorts on native Slack (recording Web API server)', () => {
  const recorder = new SlackApiRecorder();
  let app: App;
  let url: string;

  const sendEvent = async (event: Record<string, unknown>) => {
    const body = JSON.stringify({
      token: 't',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `Ev${Math.random().toString(36).slice(2)}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${url}/api/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body) },
      body,
    });
    expect(res.status).toBe(200);
  };
  /** A button press (block_actions), as Slack posts it: form-encoded and signed. */
  const interaction = async (payload: Record<string, unknown>) => {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${url}/api/slack/interactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body) },
      body,
    });
    expect(res.status).toBe(200);
  };
  let mentions = 0;
  /** An @mention of the bot in a channel; resolves with the bot's answer in that thread. */
  const mention = async (user: string, text: string, channel = PILOT, extra: Record<string, unknown> = {}) => {
    const ts = `1700000${String(++mentions).padStart(3, '0')}.000100`;
    const before = recorder.postsTo(channel).length;
    await sendEvent({ type: 'app_mention', channel, user, text: `<@UBOT> ${text}`, ts, ...extra });
    const posts = await postsIn(channel, before + 1);
    const answer = posts[posts.length - 1];
    expect(answer.args.thread_ts).toBe(ts);
    return answer;
  };
  const dm = (user: string) => recorder.postsTo(`D-${user}`);
  /** Waits for the bot's posts; generous, because a loaded CI machine may take a while to answer (no timing is asserted). */
  const postsIn = async (channel: string, count: number) => {
    for (let i = 0; i < 200 && recorder.postsTo(channel).length < count; i++) await new Promise((resolve) => setTimeout(resolve, 200));
    const posts = recorder.postsTo(channel);
    if (posts.length < count) throw new Error(`expected ${count} posts in ${channel}, got ${posts.length}`);
    return posts;
  };
  const checkBlocks = (post: { args: Record<string, any> }) => expect(blockKitProblems({ text: post.args.text, blocks: post.args.blocks })).toEqual([]);

  beforeAll(async () => {
    recorder.respond = (method, args) => {
      if (method === 'conversations.members') {
        if (args.channel === 'CFORBIDDEN') return { ok: false, error: 'not_in_channel' };
        if (args.channel !== PILOT) return { ok: false, error: 'channel_not_found' };
        // Two pages, as Slack pages long channels.
        const start = Number(args.cursor ?? 0);
        return { ok: true, members: pilotMembers.slice(start, start + 8), response_metadata: { next_cursor: start + 8 < pilotMembers.length ? String(start + 8) : '' } };
      }
      if (method === 'users.info') return users[args.user] ? { ok: true, user: users[args.user] } : { ok: false, error: 'user_not_found' };
      if (method === 'users.lookupByEmail') {
        const user = Object.values(users).find((u: any) => u.profile?.email === args.email);
        return user ? { ok: true, user } : { ok: false, error: 'users_not_found' };
      }
      if (method === 'conversations.open') return { ok: true, channel: { id: `D-${args.users}` } };
      return undefined;
    };
    const apiUrl = await recorder.start();
    ({ app, url } = await startCohortApp({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-cohorts', SLACK_API_URL: apiUrl, FACILITATORS: 'UFAY' }));
  }, APP_START_BUDGET_MS);
  afterAll(async () => {
    await app?.stop();
    await recorder.stop();
  });

  it('refuses a member who is not a facilitator', async () => {
    const answer = await mention('U2', 'cohort new Pilot');
    expect(answer.args.text).toBe(en('errors.notFacilitator'));
    expect(recorder.of('conversations.members')).toHaveLength(0);
  });

  it('creates the cohort from conversations.members + users.info and welcomes the 12 members once each in a DM', async () => {
    const answer = await mention('UFAY', 'cohort new Pilot');
    checkBlocks(answer);
    expect(JSON.stringify(answer.args.blocks)).toContain('12 members joined the cohort (1 bots and 1 guests were left out)');
    expect(recorder.of('conversations.members')).toHaveLength(2);

    await passUntil([app], () => dm('UFAY').length > 0);
    for (const id of learners) {
      expect(dm(id)).toHaveLength(1);
      expect(dm(id)[0].args.text).toBe('Welcome to “Pilot”');
      checkBlocks(dm(id)[0]);
    }
    for (const id of ['UOTHERBOT', 'UGUEST', 'UGONE']) expect(dm(id)).toHaveLength(0);
    const [report] = dm('UFAY');
    checkBlocks(report);
    expect(report.args.text).toBe('Welcomes for “Pilot”');
    expect(JSON.stringify(report.args.blocks)).toMatch(/Reached.{0,20}12/);

    await app.cohortWelcomes.tick();
    expect(recorder.of('chat.postMessage').filter((c) => String(c.args.channel).startsWith('D-U') && c.args.channel !== 'D-UFAY')).toHaveLength(12);
  });

  it("sends report to the facilitator's DM, never to the channel", async () => {
    const answer = await mention('UFAY', 'report');
    expect(answer.args.text).toBe(en('private.sent'));
    const reports = dm('UFAY');
    const report = reports[reports.length - 1];
    checkBlocks(report);
    expect(report.args.text).toBe('Progress of “Pilot”');
    expect(JSON.stringify(report.args.blocks)).toContain('completed by 0 of 12');
    const refused = await mention('U3', 'report');
    expect(refused.args.text).toBe(en('errors.notFacilitator'));
  });

  it("after members progress, report counts them in the facilitator's DM, and export gives a CSV with one row per member", async () => {
    const now = new Date().toISOString();
    for (const id of ['U1', 'U2', 'U3']) await recordProgress(app.storage, id, (p) => void (p.modulesDone.m1 = now), 'slack');
    await mention('UFAY', 'report');
    const report = dm('UFAY').at(-1)!;
    checkBlocks(report);
    expect(JSON.stringify(report.args.blocks)).toContain('completed by 3 of 12');

    const answer = await mention('UFAY', 'export');
    expect(answer.args.text).toBe(en('private.sent'));
    const sent = dm('UFAY').at(-1)!;
    checkBlocks(sent);
    const link = /<(http[^|>]+)\|/.exec(JSON.stringify(sent.args.blocks))![1].replace(/&amp;/g, '&');
    const res = await fetch(link);
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(1 + 12);
    expect(lines.filter((l) => l.includes(',1/6,'))).toHaveLength(3);
    // The same CSV as a file in the DM (files.uploadV2), byte for byte.
    const [complete] = await recorder.waitFor('files.completeUploadExternal');
    expect(complete.args.channel_id).toBe('D-UFAY');
    expect(recorder.of('files.getUploadURLExternal')[0].args.filename).toMatch(/^Pilot-\d{4}-\d{2}-\d{2}\.csv$/);
    const uploaded = recorder.uploads.find((u) => u.fileId === complete.response.files[0].id)!;
    expect(
      uploaded.body
        .toString('utf8')
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n'),
    ).toEqual(lines);
  });

  it('welcomes a later joiner (member_joined_channel) once', async () => {
    await sendEvent({ type: 'member_joined_channel', user: 'ULATE', channel: PILOT, channel_type: 'C', team: 'T1', event_ts: '1700000500.000100' });
    await postsIn('D-ULATE', 1);
    await app.cohortWelcomes.tick();
    expect(dm('ULATE')).toHaveLength(1);
  });

  it('enrols people by e-mail (users.lookupByEmail) and names an unknown one, importing nothing', async () => {
    const unknown = await mention('UFAY', 'cohort enrol eve@gov.example, nobody@gov.example');
    expect(JSON.stringify(unknown.args.blocks)).toContain('Nobody with the address nobody@gov.example was found in your organisation.');
    const done = await mention('UFAY', 'cohort enrol eve@gov.example');
    expect(JSON.stringify(done.args.blocks)).toContain('1 person added (0 were already in the cohort).');
    await postsIn('D-UENROL', 1);
    expect(dm('UENROL')).toHaveLength(1);
  });

  it('enrols a CSV shared with the mention (url_private_download, fetched with the bot token), with line-numbered errors and nothing half-imported', async () => {
    recorder.files['/files-pri/T1-F1/people.csv'] = '\ufeffName,Email\r\nCai,cai@gov.example\r\nMember 3,u3@gov.example\r\n';
    recorder.files['/files-pri/T1-F2/bad.csv'] = 'cai@gov.example\nask Cai for the others\n';
    recorder.files['/files-pri/T1-F3/dm.csv'] = 'dora@gov.example\n';
    const file = (id: string, name: string, path: string, filetype = 'csv') => ({
      files: [{ id, name, title: name, filetype, mimetype: filetype === 'csv' ? 'text/csv' : 'application/pdf', url_private_download: path.startsWith('https:') ? path : recorder.fileUrl(path) }],
    });
    const blocksOf = (post: { args: Record<string, any> }) => JSON.stringify(post.args.blocks);
    const fill = (key: string, name: string) => en(key).replace('{{name}}', name);

    const refused = await mention('U2', 'cohort enrol', PILOT, file('F1', 'people.csv', '/files-pri/T1-F1/people.csv'));
    expect(refused.args.text).toBe(en('errors.notFacilitator'));
    expect(recorder.fileRequests).toHaveLength(0);

    const bad = await mention('UFAY', 'cohort enrol', PILOT, file('F2', 'bad.csv', '/files-pri/T1-F2/bad.csv'));
    checkBlocks(bad);
    expect(blocksOf(bad)).toContain('Line 2');
    expect(blocksOf(bad)).toContain('“ask Cai for the others” is not an e-mail address or UPN.');
    expect(blocksOf(bad)).toContain(en('enrol.nothingImported'));

    const pdf = await mention('UFAY', 'cohort enrol', PILOT, file('F4', 'people.pdf', '/files-pri/T1-F1/people.csv', 'pdf'));
    expect(pdf.args.text).toBe(fill('enrol.upload.not-csv', 'people.pdf'));
    const elsewhere = await mention('UFAY', 'cohort enrol', PILOT, file('F5', 'people.csv', 'https://files.example.org/people.csv'));
    expect(elsewhere.args.text).toBe(fill('enrol.upload.download-failed', 'people.csv'));
    const missing = await mention('UFAY', 'cohort enrol', PILOT, file('F6', 'gone.csv', '/files-pri/T1-F6/gone.csv'));
    expect(missing.args.text).toBe(fill('enrol.upload.download-failed', 'gone.csv'));
    expect(dm('UCSV')).toHaveLength(0);

    const done = await mention('UFAY', 'cohort enrol', PILOT, file('F1', 'people.csv', '/files-pri/T1-F1/people.csv'));
    expect(blocksOf(done)).toContain('1 person added (1 were already in the cohort).');
    await postsIn('D-UCSV', 1);
    expect(dm('UCSV')[0].args.text).toBe('Welcome to “Pilot”');
    // Every download carried the bot token; none went anywhere else.
    expect(recorder.fileRequests.map((r) => r.authorization)).toEqual(recorder.fileRequests.map(() => 'Bearer xoxb-cohorts'));
    expect(recorder.fileRequests.map((r) => r.path)).toEqual(['/files-pri/T1-F2/bad.csv', '/files-pri/T1-F6/gone.csv', '/files-pri/T1-F1/people.csv']);

    // The same from the facilitator's DM with the bot (a message with subtype file_share): the cohort they run.
    const before = dm('UFAY').length;
    await sendEvent({
      type: 'message',
      subtype: 'file_share',
      channel: 'D-UFAY',
      channel_type: 'im',
      user: 'UFAY',
      text: 'cohort enrol',
      ts: '1700000700.000100',
      ...file('F3', 'dm.csv', '/files-pri/T1-F3/dm.csv'),
    });
    const replies = await postsIn('D-UFAY', before + 1);
    expect(blocksOf(replies[replies.length - 1])).toContain('1 person added (0 were already in the cohort).');
    await postsIn('D-UDM', 1);
  });

  it("answers an expert question from the box (input block) on the facilitator's card: empty is refused, the answer reaches the learner and the card is updated", async () => {
    await sendEvent({ type: 'message', channel: 'D-U5', channel_type: 'im', user: 'U5', text: 'ask an expert Can we use a chatbot for tax questions?', ts: '1700000600.000100' });
    const toFay = await postsIn('D-UFAY', dm('UFAY').length + 1);
    const card = toFay.find((p) => JSON.stringify(p.args.blocks).includes('Can we use a chatbot for tax questions?'))!;
    checkBlocks(card);
    expect(card.args.text).toBe('Question from Member 5');
    const input = card.args.blocks.find((b: any) => b.type === 'input');
    expect(input).toMatchObject({ label: { type: 'plain_text', text: en('expert.answerLabel') }, element: { type: 'plain_text_input', action_id: 'govai-text', multiline: true, max_length: 2000 } });
    const send = card.args.blocks.flatMap((b: any) => (b.type === 'actions' ? b.elements : [])).find((e: any) => e.text.text === en('expert.sendAnswer'));
    const code = JSON.parse(send.value).args.question as string;
    const press = (value: string | null, ts: string) =>
      interaction({
        type: 'block_actions',
        user: { id: 'UFAY' },
        team: { id: 'T1' },
        channel: { id: 'D-UFAY' },
        container: { type: 'message', channel_id: 'D-UFAY', message_ts: card.response.ts },
        state: { values: { [input.block_id]: { 'govai-text': { type: 'plain_text_input', value } } } },
        actions: [{ type: 'button', action_id: send.action_id, value: send.value, action_ts: ts }],
      });

    await press(null, '1700000601.000100');
    const [empty] = await recorder.waitFor('chat.postEphemeral');
    expect(empty.args).toMatchObject({ channel: 'D-UFAY', user: 'UFAY', text: en('expert.answerEmpty').replace('{{id}}', code) });
    expect(recorder.of('chat.update')).toHaveLength(0);

    const learnerBefore = dm('U5').length;
    await press('Yes, for general guidance; never for a decision on a person.', '1700000602.000100');
    const [update] = await recorder.waitForUpdate('D-UFAY');
    expect(update.args.ts).toBe(card.response.ts);
    expect(blockKitProblems({ text: update.args.text, blocks: update.args.blocks })).toEqual([]);
    expect(JSON.stringify(update.args.blocks)).toContain('Answered by Fay Facilitator');
    expect(update.args.blocks.some((b: any) => b.type === 'input')).toBe(false);
    const answer = (await postsIn('D-U5', learnerBefore + 1))[learnerBefore];
    expect(answer.args.text).toBe('An answer to your question');
    expect(JSON.stringify(answer.args.blocks)).toContain('never for a decision on a person.');
    const notes = await recorder.waitFor('chat.postEphemeral', 2);
    expect(notes[1].args.text).toBe(`Your answer to ${code} reached the learner.`);
  });

  it('explains a roster it may not read', async () => {
    const answer = await mention('UFAY', 'cohort new Other', 'CFORBIDDEN');
    expect(answer.args.text).toBe(en('errors.roster.forbidden'));
  });
});
