import type { App } from '../../src/app/create-app';
import { signSlackRequest } from '../../src/channels/slack/slack-signature';
import { localeString } from '../support/app-harness';
import { blockKitProblems } from '../slack/block-kit-limits';
import { SlackApiRecorder } from '../slack/slack-api-recorder';
import { APP_START_BUDGET_MS, passUntil, startCohortApp } from './cohort-harness';

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
};
const pilotMembers = ['UFAY', ...learners, 'UOTHERBOT', 'UGUEST', 'UGONE'];

describe('cohorts on native Slack (recording Web API server)', () => {
  const recorder = new SlackApiRecorder();
  let app: App;
  let url: string;

  const sendEvent = async (event: Record<string, unknown>) => {
    const body = JSON.stringify({ token: 't', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `Ev${Math.random().toString(36).slice(2)}`, event_time: Math.floor(Date.now() / 1000), event });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${url}/api/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body) }, body });
    expect(res.status).toBe(200);
  };
  let mentions = 0;
  /** An @mention of the bot in a channel; resolves with the bot's answer in that thread. */
  const mention = async (user: string, text: string, channel = PILOT) => {
    const ts = `1700000${String(++mentions).padStart(3, '0')}.000100`;
    const before = recorder.postsTo(channel).length;
    await sendEvent({ type: 'app_mention', channel, user, text: `<@UBOT> ${text}`, ts });
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

  it('sends report to the facilitator\'s DM, never to the channel', async () => {
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

  it('explains a roster it may not read', async () => {
    const answer = await mention('UFAY', 'cohort new Other', 'CFORBIDDEN');
    expect(answer.args.text).toBe(en('errors.roster.forbidden'));
  });
});
