import { monitorEventLoopDelay } from 'node:perf_hooks';
import { signSlackRequest } from '../../src/channels/slack/slack-signature';
import { exchange, localeString, postJson, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';
import { SlackApiRecorder } from '../slack/slack-api-recorder';
import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';
import { COURSE_SLICE, newCourseProgress } from '../../src/core/course/progress-state';
import { learnerKey, newLearnerRecord } from '../../src/core/learner';

/**
 * Hostile but ordinary-looking messages through the real endpoints: each is answered (or
 * refused with a clear message), and no turn holds the event loop that every other learner
 * shares. The block is measured inside this process with monitorEventLoopDelay, which sees
 * the app's own work, not the wall clock of a shared machine.
 */
const SECRET = 'adversarial-signing-secret';
const MAX_BLOCK_MS = 50;

const backtrackingBait = (length: number) => `${'1   '.repeat(Math.ceil(length / 4)).slice(0, length - 2)} x`;
const mixedScripts = (bytes: number) => {
  const piece = 'Données ética الذكاء 人工智能 🇺🇳 ';
  let out = '';
  while (Buffer.byteLength(out) < bytes) out += piece;
  return out;
};

const INPUTS: Record<string, string> = {
  'numbered-choice bait, 100 characters': backtrackingBait(100),
  'numbered-choice bait, 10,000 characters': backtrackingBait(10_000),
  'a punctuation run of 40,000 characters': `help${'!?.,:;'.repeat(6_667)}`,
  'a whitespace run of 50,000 characters': `${' \t'.repeat(25_000)}next`,
  '100 KB of mixed scripts': mixedScripts(100_000),
  'ten thousand combining accents': `e${'\u0301'.repeat(10_000)}`,
  'NUL and other control characters': 'what is\u0000 the\u0007 AI\u001b[31m Act?',
  'lone surrogates': 'ethics \ud800 and \udfff data',
};

/** The longest event-loop block (ms) while `run` is in flight; the quietest of three runs, so a GC pause or a busy machine is not a finding. */
async function longestBlock(run: () => Promise<void>): Promise<number> {
  const blocks: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    await run();
    histogram.disable();
    blocks.push(histogram.max / 1e6);
    if (blocks[attempt] < MAX_BLOCK_MS) break;
  }
  return Math.min(...blocks);
}

/** Every string value stored under one of `keys`, anywhere in a card. */
function stringsUnder(node: unknown, keys: string[]): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => stringsUnder(n, keys));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (typeof v === 'string' ? (keys.includes(k) ? [v] : []) : stringsUnder(v, keys)));
}

describe('adversarial messages', () => {
  const recorder = new SlackApiRecorder();
  let running: RunningApp;
  const errorTitle = localeString('en', 'common', 'error.title');
  let learner = 0;

  beforeAll(async () => {
    const apiUrl = await recorder.start();
    running = await startTestApp({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: apiUrl });
    // Warm every path once (index load, first compilation of the handlers) before measuring.
    for (const text of ['help', 'next', 'what is the AI Act?']) await exchange(running.url, teamsActivity({ text, from: { id: '29:warm', aadObjectId: 'aad-warm' } }));
  });
  afterAll(async () => {
    await running?.stop();
    await recorder.stop();
  });

  let sent = 0;
  async function slackDm(user: string, channel: string, text: string): Promise<void> {
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `EvAdv${Date.now()}${++sent}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel_type: 'im', user, channel, text, ts: `${Date.now() / 1000}`.slice(0, 17) },
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${running.url}/api/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body) },
      body,
    });
    expect(res.status).toBe(200);
  }

  it.each(Object.entries(INPUTS))('answers %s over /api/messages without blocking the event loop', async (_name, text) => {
    const id = `adv-${++learner}`;
    let replies: any[] = [];
    const block = await longestBlock(async () => {
      replies = await exchange(running.url, teamsActivity({ text, from: { id: `29:${id}`, name: 'Ana', aadObjectId: id } }));
    });
    expect(replies.length).toBeGreaterThan(0);
    expect(JSON.stringify(replies)).not.toContain(errorTitle);
    expect(block).toBeLessThan(MAX_BLOCK_MS);
  });

  it('tells the learner plainly when a message is too long', async () => {
    const [reply] = await exchange(running.url, teamsActivity({ text: backtrackingBait(10_000), from: { id: '29:long', aadObjectId: 'aad-long' } }));
    const expected = localeString('en', 'common', 'text.tooLong').replace('{{max}}', '4000');
    expect(JSON.stringify(reply)).toContain(expected.slice(0, 40));
  });

  it('strips control characters and lone surrogates before anything is stored', async () => {
    await exchange(running.url, teamsActivity({ text: 'he\u0000lp', from: { id: '29:ctl', name: 'Ana\u0000 Sil\u0007va \ud800', aadObjectId: 'aad-ctl' } }));
    const stored = JSON.stringify(await running.app.coach.readLearner('msteams', 'aad-ctl'));
    expect(stored).toContain('Ana Silva \ufffd');
    expect(stored).not.toMatch(/\\u0000|\\u0007|\\ud800/);
  });

  it('answers a message whose entities have the wrong type, and refuses a roster change with malformed members precisely', async () => {
    const answered = await exchange(running.url, teamsActivity({ text: 'help', entities: 'not-a-list', from: { id: '29:ent', aadObjectId: 'aad-ent' } }));
    expect(answered.length).toBeGreaterThan(0);
    const refused = await postJson(`${running.url}/api/messages`, teamsActivity({ type: 'conversationUpdate', membersAdded: { id: 'x' } }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^membersAdded: /);
    const wrongMember = await postJson(`${running.url}/api/messages`, teamsActivity({ type: 'conversationUpdate', membersAdded: [{ name: 'no id' }] }));
    expect(wrongMember.status).toBe(400);
    expect(wrongMember.body.error.message).toMatch(/^membersAdded\.0\.id: /);
  });

  describe('text a person supplied is shown as typed', () => {
    const disguised = '[Verified by UNESCO](https://evil.example/) **Dr** _Ana_ <b>Silva</b>';

    async function graduate(channelId: string, userId: string): Promise<void> {
      const course = running.app.catalog.get('en');
      const at = new Date().toISOString();
      const progress = newCourseProgress();
      for (const m of course.modules) {
        progress.modulesDone[m.id] = at;
        for (const l of m.lessons) progress.lessonsDone[l.id] = at;
      }
      progress.finalPassedAt = at;
      const record = newLearnerRecord(channelId, userId, new Date());
      record.data[COURSE_SLICE] = progress;
      await running.app.storage.write(learnerKey(channelId, userId), record);
    }

    it('prints a certificate name written as Markdown literally in the Teams card', async () => {
      await graduate('msteams', 'aad-md');
      const [reply] = await exchange(running.url, teamsActivity({ text: `certificate ${disguised}`, from: { id: '29:md', aadObjectId: 'aad-md' } }));
      const content = reply.attachments[0].content;
      // Markdown is read in TextBlocks and fact values: there every marker arrives escaped, so no link, bold or italic can form.
      const markdownFields = stringsUnder(content.body, ['text', 'value']);
      const withName = markdownFields.filter((f) => f.includes('Verified by UNESCO'));
      expect(withName.length).toBeGreaterThanOrEqual(2);
      for (const field of withName) {
        expect(field).toContain('\\[Verified by UNESCO\\]\\(https://evil.example/\\)');
        expect(field).toContain('\\*\\*Dr\\*\\* \\_Ana\\_ \\<b\\>');
      }
      // Plain-text fields (notification preview, speech) carry the name exactly as typed.
      expect(content.fallbackText).toContain(disguised);
    });

    it('prints it literally in Slack Block Kit, with no link to the disguised address', async () => {
      await graduate('slack', 'UMD1');
      await slackDm('UMD1', 'DMD1', `certificate ${disguised}`);
      const [post] = await recorder.waitForChannel('DMD1');
      const blocks = JSON.stringify(post.args.blocks);
      expect(blocks).not.toContain('<https://evil.example/|');
      expect(blocks).toContain('[Verified by UNESCO](https://evil.example/)');
      expect(blocks).toContain('&lt;b&gt;Silva&lt;/b&gt;');
      expect(blocks).not.toMatch(/(?<!\\u200b)\*Dr\*/);
    });
  });

  describe('over native Slack', () => {
    it.each(Object.entries(INPUTS))('answers %s without blocking the event loop', async (_name, text) => {
      const user = `UADV${++learner}`;
      const channel = `DADV${learner}`;
      const block = await longestBlock(async () => {
        const before = recorder.postsTo(channel).length;
        await slackDm(user, channel, text);
        await recorder.waitForChannel(channel, before + 1);
      });
      const posts = recorder.postsTo(channel);
      expect(posts.length).toBeGreaterThan(0);
      expect(JSON.stringify(posts.map((p) => p.args))).not.toContain(errorTitle);
      expect(block).toBeLessThan(MAX_BLOCK_MS);
    });
  });
});

describe('control characters on PostgreSQL', () => {
  const table = testTable('nul');
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp({ STORAGE: 'postgres', DATABASE_URL: TEST_DATABASE_URL }, { storage: new PostgresStorage(TEST_DATABASE_URL, table.name) });
  });
  afterAll(async () => {
    await running?.stop();
    await table.drop();
  });

  it('answers a message with a NUL in it, and every later turn of a user whose display name has one', async () => {
    const from = { id: '29:nul', name: 'Nu\u0000l Name', aadObjectId: 'aad-nul' };
    const errorTitle = localeString('en', 'common', 'error.title');
    for (const text of ['hel\u0000p', 'start', 'next']) {
      const replies = await exchange(running.url, teamsActivity({ text, from }));
      expect(replies.length).toBeGreaterThan(0);
      expect(JSON.stringify(replies)).not.toContain(errorTitle);
    }
    expect((await running.app.coach.readLearner('msteams', 'aad-nul'))?.name).toBe('Nul Name');
  });
});
