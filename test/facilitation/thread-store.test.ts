import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import type { Cohort } from '../../src/core/cohorts/cohort-model';
import { DiscussionThreads, MAX_STORED_REPLY_CHARS } from '../../src/core/facilitation/threads/discussion-threads';
import { threadReportItems } from '../../src/core/facilitation/threads/thread-report';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/app-harness';
import { localizer, realCatalog } from '../course/harness';

const T0 = new Date('2026-01-10T09:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);

async function setup() {
  const storage = new SqliteStorage(':memory:');
  await storage.open();
  const threads = new DiscussionThreads(storage, '!');
  const thread = await threads.follow({ channelId: 'msteams', conversationId: '19:g@thread.v2', rootId: 'root-1', moduleId: 'm1', lang: 'en', postedAt: T0 });
  const at = (i: number) => ({ channelId: 'msteams', conversationId: '19:g@thread.v2', replyToId: 'root-1', messageId: `msg-${i}`, userId: `u${i}`, at: day(i) });
  return { storage, threads, thread, at };
}

describe('followed discussion threads', () => {
  it('keeps replies to a followed prompt only, honours the opt-out marker on edits, and finds deletions without a thread id', async () => {
    const { threads, thread, at } = await setup();
    expect(await threads.received({ ...at(1), replyToId: 'unknown-root', text: 'Not a reply to a prompt.' })).toBe('ignored');
    expect(await threads.received({ ...at(1), text: 'First reply.' })).toBe('stored');
    expect(await threads.received({ ...at(2), text: '! keep this out' })).toBe('opted-out');
    expect(await threads.received({ ...at(3), text: 'Third reply.' })).toBe('stored');
    // An edit that adds the marker withdraws the reply; a Teams group-chat deletion names only the message.
    expect(await threads.edited({ ...at(1), text: '! changed my mind' })).toBe('opted-out');
    expect(await threads.deleted({ channelId: 'msteams', conversationId: '19:g@thread.v2', messageId: 'msg-3' })).toBe(true);
    expect(await threads.store.replies(thread.id)).toEqual([]);
  });

  it('keeps at most the first MAX_STORED_REPLY_CHARS characters of a very long reply', async () => {
    const { threads, thread, at } = await setup();
    expect(await threads.received({ ...at(1), text: `Start. ${'word '.repeat(20_000)}` })).toBe('stored');
    const [reply] = await threads.store.replies(thread.id);
    expect(reply.text.startsWith('Start. word')).toBe(true);
    expect(reply.text.length).toBe(MAX_STORED_REPLY_CHARS);
  });

  it('purges replies older than the retention period, then threads left empty', async () => {
    const { threads, thread, at } = await setup();
    for (const i of [1, 2, 30]) await threads.received({ ...at(i), text: `Reply ${i}.` });
    const task = threads.retentionTask();
    expect(task).toMatchObject({ name: 'discussionReplies', period: 'discussionRepliesDays' });
    expect(await task.purge(day(10), day(400))).toBe(2);
    expect((await threads.store.replies(thread.id)).map((r) => r.text)).toEqual(['Reply 30.']);
    expect(await task.purge(day(31), day(400))).toBe(2);
    expect(await threads.store.get(thread.id)).toBeUndefined();
  });

  it("lists the cohort channel's discussions in the report: replies, people and the last summary's themes", async () => {
    const { threads, thread, at } = await setup();
    for (const i of [1, 2, 3]) await threads.received({ ...at(i), text: `Reply ${i}.` });
    await threads.received({ ...at(1), messageId: 'msg-9', text: 'Same person again.' });
    await threads.store.saveSummary(thread.id, { at: day(5).toISOString(), people: 3, replies: 4, themes: [{ name: 'procurement, vendors', count: 3 }] });
    const course = (await realCatalog()).get('en');
    const cohort = { channelId: 'msteams', conversationId: '19:g@thread.v2' } as Cohort;
    const items = await threadReportItems(threads.store, cohort, course, (await localizer()).forLanguage('en'), 'en');
    expect(items[0].title).toBe('Discussions');
    expect(items[1]).toMatchObject({ title: `Discussion, module 1: ${course.modules[0].title}`, badge: '4' });
    expect(items[1].text).toBe('Jan 10, 2026 · 4 replies from 3 people\n\nThemes of the last summary: procurement, vendors (3)');
  });
});

describe('discussion thread strings', () => {
  const read = (lang: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'locales', lang, 'facilitation.json'), 'utf8'));
  const flat = (node: unknown, prefix = ''): string[] =>
    node && typeof node === 'object' && !Array.isArray(node) ? Object.entries(node).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
  const keysOf = (lang: string) => {
    const d = read(lang);
    return new Set(flat({ summary: d.summary, threads: d.threads, optOut: d.schedule.prompt.optOut, help: d.help.summary }).map((k) => k.replace(/_(zero|one|two|few|many|other)$/, '')));
  };

  it('has every summary and thread string in all five languages, with a command word in each', () => {
    const english = keysOf('en');
    for (const lang of ['es', 'fr', 'pt', 'ar']) {
      expect({ lang, missing: [...english].filter((k) => !keysOf(lang).has(k)) }).toEqual({ lang, missing: [] });
      expect(read(lang).commands.summary.length).toBeGreaterThan(0);
      expect(read(lang).schedule.prompt.optOut).toContain('{{marker}}');
    }
  });
});
