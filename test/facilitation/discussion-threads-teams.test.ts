import { PostgresJobs } from '../../src/adapters/jobs/postgres-jobs';
import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import type { App } from '../../src/app/create-app';
import { learnerKey } from '../../src/core/learner';
import { listAll } from '../../src/core/privacy/personal-data';
import { APP_START_BUDGET_MS, BOT, CHANNEL, FAY, cardOf, cardText, channelMessage, startCohortApp } from '../cohorts/cohort-harness';
import { channelRoster, startTeamsStandIn } from '../cohorts/teams-connector-stand-in';
import { exchange, postJson, teamsActivity, tempDir } from '../support/app-harness';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';
import { THREAD_REPLIES } from './thread-fixtures';

const NAMES = ['Ana Silva', 'Bruno Costa', 'Chloé Martin', 'Dalia Haddad', 'Emil Novak', 'Farah Idris', 'Gustavo Reyes', 'Hana Sato'];
const MEMBERS = NAMES.map((name, i) => ({ id: `29:r${i + 1}`, name, aadObjectId: `aad-r${i + 1}` }));
const channelData = { channel: { id: CHANNEL }, team: { id: '19:team@thread.tacv2' }, tenant: { id: 'tenant-1' } };
const conversationOf = (root: string) => ({ id: `${CHANNEL};messageid=${root}`, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' });

/**
 * Issue 9, points 2–6 on Teams-shaped activities through /api/messages: a scheduled prompt posted
 * once by two instances on PostgreSQL, replies in its thread recorded without an @mention, other
 * channel messages ignored, edits and deletions applied, and a private summary with no names.
 */
describe('discussion threads on Teams, two instances on PostgreSQL', () => {
  const documents = testTable('thread_docs');
  const jobsTable = testTable('thread_jobs');
  const dataDir = tempDir();
  const apps: App[] = [];
  let standIn: Awaited<ReturnType<typeof startTeamsStandIn>>;

  beforeAll(async () => {
    await Promise.all([documents.drop(), jobsTable.drop()]);
    standIn = await startTeamsStandIn({ channels: { [CHANNEL]: channelRoster(3) } });
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await standIn.close();
    await Promise.all([documents.drop(), jobsTable.drop()]);
  });

  it(
    'follows the thread of a scheduled prompt, ignores other messages and sends the facilitator a private summary',
    async () => {
      const start = async () => {
        const started = await startCohortApp(
          { FACILITATORS: 'aad-fay', STORAGE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, DATA_DIR: dataDir, LOCAL_SERVICE_URLS: standIn.serviceUrl, SCHEDULE_TICK_SECONDS: '0' },
          new PostgresStorage(TEST_DATABASE_URL, documents.name),
          new PostgresJobs(TEST_DATABASE_URL, jobsTable.name),
        );
        apps.push(started.app);
        return started;
      };
      const a = await start();
      const b = await start();
      const serviceUrl = standIn.serviceUrl;
      const channelPosts = () => standIn.posts.filter((p) => p.conversationId === CHANNEL);
      const send = (url: string, activity: Record<string, unknown>) => exchange(url, { channelData, ...activity, serviceUrl });

      // The facilitator schedules module 2's prompt a minute ahead (the test's clock); both instances poll.
      const [confirmation] = await exchange(a.url, channelMessage(serviceUrl, 'schedule discuss 2 in 1 min'));
      const jobId = /Id: ([0-9a-f]{8})\./.exec(cardText(cardOf(confirmation)))![1];
      const due = new Date(Date.now() + 61_000);
      await Promise.all([a.app.discussionSchedule.tick(due), b.app.discussionSchedule.tick(due), a.app.discussionSchedule.tick(due), b.app.discussionSchedule.tick(due)]);
      expect(channelPosts()).toHaveLength(1);
      const prompt = cardText(cardOf(channelPosts()[0].activity));
      expect(prompt).toContain("Replies in this thread are collected for the facilitator's summary");
      expect(prompt).toContain('start it with #private');
      const root = (await a.app.jobs.get(jobId))!.result!.messageId as string;
      expect(root).toMatch(/^activity-\d+$/);

      // Six members reply in the prompt's thread, without @mentioning the bot, on either instance.
      const reply = (i: number, text: string, id = `reply-${i + 1}`) => send(i % 2 ? b.url : a.url, teamsActivity({ id, from: MEMBERS[i], text, replyToId: root, conversation: conversationOf(root) }));
      for (let i = 0; i < 6; i++) expect(await reply(i, `<p>${THREAD_REPLIES[i]}</p>`)).toEqual([]);
      // Two unrelated channel messages: not answered, nothing stored, nothing sent.
      const keysBefore = await listAll(a.app.storage, '');
      const postsBefore = standIn.posts.length;
      expect(await send(a.url, teamsActivity({ id: 'other-1', from: MEMBERS[0], text: 'Lunch at 12?', conversation: conversationOf('other-root') }))).toEqual([]);
      expect(
        await send(b.url, teamsActivity({ id: 'other-2', from: MEMBERS[1], text: 'Does anyone have the slides from Monday?', replyToId: 'other-root', conversation: conversationOf('other-root') })),
      ).toEqual([]);
      expect(await listAll(a.app.storage, '')).toEqual(keysBefore);
      expect(standIn.posts.length).toBe(postsBefore);

      // An opted-out reply is not kept; a reply written then deleted is removed; an edit replaces the text.
      await reply(6, '#private I would rather not say this in the summary.');
      await reply(7, 'Pilots are useful but nobody funds them.');
      expect((await listAll(a.app.storage, 'discussion-reply:')).length).toBe(7);
      await send(b.url, teamsActivity({ type: 'messageDelete', id: 'reply-8', from: MEMBERS[7], conversation: conversationOf(root), channelData: { ...channelData, eventType: 'softDeleteMessage' } }));
      const edited = 'We lost a good vendor because the procurement process was far too slow for a pilot. What does the course say about innovation procurement?';
      await send(
        a.url,
        teamsActivity({
          type: 'messageUpdate',
          id: 'reply-3',
          from: MEMBERS[2],
          text: `<p>${edited} Edited: procurement rules are the real issue.</p>`,
          conversation: conversationOf(root),
          channelData: { ...channelData, eventType: 'editMessage' },
        }),
      );
      const keys = await listAll(a.app.storage, 'discussion-reply:');
      expect(keys).toHaveLength(6);
      const stored = await Promise.all(keys.map(async (k) => (await a.app.storage.read<Record<string, string>>(k))!.value));
      expect(stored.find((r) => r.messageId === 'reply-3')).toMatchObject({ text: `${edited} Edited: procurement rules are the real issue.`, editedAt: expect.any(String) });
      // The stored replies name nobody: a per-thread hash stands for the author.
      const raw = JSON.stringify(stored);
      for (const m of MEMBERS) for (const needle of [m.id, m.aadObjectId, m.name]) expect(raw).not.toContain(needle);

      // A member may not ask for the summary; the facilitator gets it privately, in the thread's own words.
      const ask = (from: Record<string, string>) =>
        send(b.url, teamsActivity({ from, text: '<at>govai-coach</at> summary', conversation: conversationOf(root), entities: [{ type: 'mention', text: '<at>govai-coach</at>', mentioned: BOT }] }));
      expect(cardText(cardOf((await ask(MEMBERS[0]))[0]))).toBe('Only the course facilitators can ask for a discussion summary.');
      const privateBefore = standIn.postsTo(FAY.id).length;
      const inChannel = await ask(FAY);
      expect(inChannel).toHaveLength(1);
      expect(cardText(cardOf(inChannel[0]))).toMatch(/private chat/i);
      const sent = standIn.postsTo(FAY.id).slice(privateBefore);
      expect(sent).toHaveLength(1);
      const summary = cardText(cardOf(sent[0]));
      expect(summary).toContain('6 people replied (6 replies)');
      expect(summary).toMatch(/Main themes/);
      expect(summary).toMatch(/procurement/);
      expect(summary).toMatch(/data/);
      expect(summary.match(/3 replies/g)).toHaveLength(2);
      expect(summary).toContain('Who owns the data?');
      expect(summary).toContain('Suggested follow-up prompt');
      for (const m of MEMBERS) expect(summary).not.toContain(m.name);
      expect(summary).not.toContain('ana.silva@gov.example');
      expect(summary).not.toContain('Pilots are useful');
      expect(summary).not.toContain('rather not say');

      // A member's `my data` holds their reply; erasure removes it.
      const source = a.app.privacy.registry.sources().find((s) => s.name === 'discussionReplies')!;
      const subject = { learnerKey: learnerKey('msteams', 'aad-r1'), channelId: 'msteams', userId: 'aad-r1' };
      expect(await source.export(subject)).toMatchObject({ count: 1, data: [expect.objectContaining({ text: THREAD_REPLIES[0] })] });
      expect(await source.erase(subject)).toBe(1);
      expect(await listAll(a.app.storage, 'discussion-reply:')).toHaveLength(5);
    },
    APP_START_BUDGET_MS,
  );
});

describe('discussion prompts in a Teams group chat (no threads: replies quote the card)', () => {
  it(
    'follows the card `discuss 2` posted, and keeps only the messages that reply to it',
    async () => {
      const GROUP = '19:group-chat@thread.v2';
      const standIn = await startTeamsStandIn({ channels: { [CHANNEL]: channelRoster(3) } });
      // A per-person turn limit of 3 a minute: nobody below sends more, except the flood at the end.
      const { app, url } = await startCohortApp({ FACILITATORS: 'aad-fay', LOCAL_SERVICE_URLS: standIn.serviceUrl, SCHEDULE_TICK_SECONDS: '0', RATE_LIMIT_TURNS_PER_MINUTE: '3' });
      try {
        const conversation = { id: GROUP, conversationType: 'groupChat', isGroup: true, tenantId: 'tenant-1' };
        const say = (from: Record<string, string>, text: string, extra: Record<string, unknown> = {}) =>
          postJson(`${url}/api/messages`, teamsActivity({ serviceUrl: standIn.serviceUrl, from, text, conversation, channelData: { tenant: { id: 'tenant-1' } }, deliveryMode: undefined, ...extra }));
        expect((await say(FAY, '<at>govai-coach</at> discuss 2', { entities: [{ type: 'mention', text: '<at>govai-coach</at>', mentioned: BOT }] })).status).toBe(200);
        const posted = standIn.posts.filter((p) => p.conversationId === GROUP);
        expect(posted).toHaveLength(2); // the prompt, then its confidence poll
        const promptId = `activity-${standIn.posts.indexOf(posted[0]) + 1}`;
        // A chat has no threads: the card says only replies that quote it are collected.
        expect(cardText(cardOf(posted[0].activity))).toContain('This chat has no threads: to reply, use Reply on this card');
        for (let i = 0; i < 2; i++) await say(MEMBERS[i], THREAD_REPLIES[i], { id: `group-reply-${i}`, replyToId: promptId });
        // A quoted reply as Teams sends it in chats: a quotedReply entity and a placeholder in the text, no replyToId.
        const quoted = { type: 'quotedReply', quotedReply: { messageId: promptId, senderId: BOT.id, preview: 'Discuss module 2' } };
        await say(MEMBERS[2], `<quoted messageId="${promptId}"/><p>${THREAD_REPLIES[2]}</p>`, { id: 'group-reply-2', entities: [quoted] });
        // A plain message right after the prompt is not attributed to it, nor one quoting another message.
        await say(MEMBERS[3], 'Unrelated chatter in the group.', { id: 'group-other' });
        await say(MEMBERS[4], `<quoted messageId="group-other"/>Agreed, lunch.`, { id: 'group-other-2', entities: [{ ...quoted, quotedReply: { messageId: 'group-other' } }] });
        const keys = await listAll(app.storage, 'discussion-reply:');
        expect(keys.map((k) => k.split(':').pop())).toEqual(['group-reply-0', 'group-reply-1', 'group-reply-2']);
        expect((await app.storage.read<{ text: string }>(keys[2]))?.value.text).toBe(THREAD_REPLIES[2]);

        // Messages without an @mention skip the coach, not its limits: a flood of replies keeps 3, and the refusals are counted.
        for (let i = 0; i < 5; i++) expect((await say(MEMBERS[5], `Flood ${i + 1} about procurement.`, { id: `flood-${i}`, replyToId: promptId })).status).toBe(200);
        expect((await listAll(app.storage, 'discussion-reply:')).filter((k) => k.includes(':flood-'))).toHaveLength(3);
        expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^govai_rate_limited_turns_total\{channel="msteams"\} 2$/m);
        expect(standIn.posts.filter((p) => p.conversationId === GROUP)).toHaveLength(2);

        // A prompt scheduled in the chat says the same when it is posted.
        expect((await say(FAY, '<at>govai-coach</at> schedule discuss 3 in 1 min', { entities: [{ type: 'mention', text: '<at>govai-coach</at>', mentioned: BOT }] })).status).toBe(200);
        await app.discussionSchedule.tick(new Date(Date.now() + 61_000));
        const scheduled = standIn.posts.filter((p) => p.conversationId === GROUP).slice(3);
        expect(scheduled).toHaveLength(1);
        expect(cardText(cardOf(scheduled[0].activity))).toContain('This chat has no threads: to reply, use Reply on this card');
      } finally {
        await app.stop();
        await standIn.close();
      }
    },
    APP_START_BUDGET_MS,
  );
});
