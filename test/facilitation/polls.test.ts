import fs from 'node:fs';
import path from 'node:path';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { loadConfig, ConfigError } from '../../src/config/config';
import { Coach } from '../../src/core/coach';
import { CommandRegistry } from '../../src/core/command-registry';
import { FacilitatorRoles } from '../../src/core/cohorts/facilitator-roles';
import { registerFacilitation } from '../../src/core/facilitation/register-facilitation';
import { PollStore, POLL_PREFIX, type PollDocument } from '../../src/core/facilitation/polls/poll-store';
import { pollReportItems } from '../../src/core/facilitation/polls/poll-report';
import type { Reply } from '../../src/intents/reply';
import { StorageConflictError } from '../../src/ports/storage';
import type { TurnInput } from '../../src/core/turn';
import { replyToCard } from '../../src/render/adaptive-card-renderer';
import { renderBlockKit } from '../../src/render/block-kit-renderer';
import { blockKitProblems } from '../slack/block-kit-limits';
import { adaptiveCardValidator } from '../teams/card-support';
import { localizer, realCatalog, REPO_ROOT, silentLogger } from '../course/harness';

const NOW = new Date('2026-12-01T14:00:00Z');

async function setup(now = NOW) {
  const storage = new SqliteStorage(':memory:');
  await storage.open();
  const loc = await localizer();
  const registry = new CommandRegistry(loc);
  registerFacilitation(registry, { catalog: await realCatalog(), storage, polls: { roles: new FacilitatorRoles(['fay']), minVotes: 5 } });
  const coach = new Coach({ storage, localizer: loc, registry, logger: silentLogger, defaultLanguage: 'en' });
  const say = async (userId: string, input: Partial<TurnInput>, conversationId = '19:team-channel'): Promise<Reply[]> =>
    (await coach.handle({ channelId: 'msteams', userId, conversationId, scope: 'channel', locale: 'en-US', now, ...input })).replies;
  const rawPolls = async (): Promise<string> => {
    const keys = await storage.list(POLL_PREFIX);
    return JSON.stringify(await Promise.all(keys.map((k) => storage.read(k))));
  };
  return { storage, loc, say, rawPolls };
}

const vote = (poll: string, answer: string) => ({ action: { command: 'poll.vote', args: { poll, answer } } });
const pollIdOf = (card: Reply) => card.choices!.args.poll;

describe('facilitator polls', () => {
  it('creates a poll from quoted text (straight and curly quotes), anonymous and single choice by default', async () => {
    const { say } = await setup();
    const [card] = await say('fay', { text: 'poll “Which step is hardest?” "Data" “Skills” "Procurement"' });
    expect(card.text).toContain('Which step is hardest?');
    expect(card.text).toMatch(/Anonymous/);
    expect(card.text).toMatch(/0 votes so far\. Results appear once 5 people have voted/);
    expect(card.choices).toMatchObject({ selection: 'single', command: 'poll.vote' });
    expect(card.choices!.options.map((o) => o.label)).toEqual(['Data', 'Skills', 'Procurement']);
    expect(card.actions).toEqual([expect.objectContaining({ command: 'poll.close' })]);
  });

  it('refuses non-facilitators politely, for creating and for closing', async () => {
    const { say } = await setup();
    const [refused] = await say('learner', { text: 'poll "Q?" "A" "B"' });
    expect(refused.text).toMatch(/only the course facilitators can create or close polls/);
    const [card] = await say('fay', { text: 'poll "Q?" "A" "B"' });
    const [pressed] = await say('learner', { action: { command: 'poll.close', args: { poll: pollIdOf(card) } } });
    expect(pressed).toMatchObject({ ephemeral: true, text: expect.stringMatching(/only the course facilitators/) });
    const [typed] = await say('learner', { text: 'close poll' });
    expect(typed.text).toMatch(/only the course facilitators/);
  });

  it.each([
    ['poll "Only one?" "A"', /at least 2 options/],
    [`poll "Too many?" ${Array.from({ length: 11 }, (_, i) => `"O${i + 1}"`).join(' ')}`, /at most 10 options/],
    ['poll "" "A" "B"', /The question is empty/],
    ['poll "Same?" "A" "a"', /Two options are the same/],
    ['poll Which one A B', /Write the question and each option in quotes/],
    ['poll "Q?" "A" "B" closes 13:00', /already passed today/],
    ['poll "Q?" "A" "B" closes someday', /could not read the closing time/],
  ])('answers %s clearly', async (text, expected) => {
    const { say, rawPolls } = await setup();
    const [reply] = await say('fay', { text });
    expect(reply.text).toMatch(expected);
    expect(reply.choices).toBeUndefined();
    expect(await rawPolls()).toBe('[]');
  });

  it('answers in the facilitator’s language (Spanish, Arabic)', async () => {
    const { say } = await setup();
    const [es] = await say('fay', { text: 'encuesta "¿Sí?" "A"', locale: 'es-ES' });
    expect(es.text).toMatch(/al menos 2 opciones/);
    const [ar] = await say('fay', { text: 'استطلاع "سؤال؟" "أ"', locale: 'ar-EG' }, '19:ar');
    expect(ar.text).toMatch(/على الأقل/);
  });

  it('reads the options words in the facilitator’s language (Spanish, Arabic)', async () => {
    const { say } = await setup();
    const [es] = await say('fay', { text: 'encuesta «¿Qué paso cuesta más?» «Datos» «Competencias» múltiple cierra en 2 horas', locale: 'es-ES' });
    expect(es.choices?.selection).toBe('multiple');
    expect(es.text).toMatch(/Se cierra: .*16:00/);
    expect(es.text).toMatch(/Anónima/);
    const [ar] = await say('fay', { text: 'استطلاع "ما أصعب خطوة؟" "البيانات" "المهارات" علني تغلق بعد 2h', locale: 'ar-EG' }, '19:ar');
    expect(ar.dir).toBe('rtl');
    expect(ar.text).toMatch(/ليس مجهول الهوية/);
    expect(ar.text).toMatch(/يُغلق/);
  });

  it('takes a closing time (today in the facilitator’s zone, or a duration) and refuses votes after it', async () => {
    const { say } = await setup();
    const [card] = await say('fay', { text: 'poll "Q?" "A" "B" closes in 2h' });
    expect(card.text).toMatch(/Closes /);
    const id = pollIdOf(card);
    const later = new Date(NOW.getTime() + 3 * 3600_000);
    const [after, note] = await say('m1', { ...vote(id, '1'), now: later });
    expect(note).toMatchObject({ ephemeral: true, text: expect.stringMatching(/closed, so your vote was not counted/) });
    expect(after.choices).toBeUndefined();
    const [lisbon] = await say('fay', { text: 'poll "Q?" "A" "B" closes 17:00', timezone: 'Europe/Lisbon' });
    expect(lisbon.text).toMatch(/Closes .*17:00/);
  });

  it('counts a multiple-choice vote once per person, shows results from the 5th voter, and lets a voter change it', async () => {
    const { say } = await setup();
    const [card] = await say('fay', { text: 'poll "Which apply?" "A" "B" "C" multiple' });
    expect(card.choices?.selection).toBe('multiple');
    const id = pollIdOf(card);
    const results: Reply[] = [];
    for (const [i, answer] of ['1,2', '2', '2,3', '1'].entries()) results.push((await say(`m${i}`, vote(id, answer)))[0]);
    expect(results.map((r) => r.items)).toEqual([undefined, undefined, undefined, undefined]);
    expect(results[3].text).toMatch(/4 votes so far/);
    const [fifth, note] = await say('m4', vote(id, '3'));
    expect(note.text).toMatch(/Your vote counted: C/);
    expect(fifth.updatesPressedCard).toBe(true);
    expect(fifth.items?.map((i) => [i.title, i.badge])).toEqual([
      ['A', '2'],
      ['B', '3'],
      ['C', '2'],
    ]);
    const [changed, changeNote] = await say('m4', vote(id, '1'));
    expect(changeNote.text).toMatch(/Your vote is now: A/);
    expect(changed.items?.map((i) => i.badge)).toEqual(['3', '3', '1']);
    expect(changed.text).toMatch(/5 votes/);
  });

  it('a named poll says so on the card and shows who voted for what', async () => {
    const { say } = await setup();
    const [card] = await say('fay', { text: 'poll "Lunch?" "Yes" "No" named' });
    expect(card.text).toMatch(/Not anonymous: everyone sees who voted for what/);
    const [after] = await say('m1', { ...vote(pollIdOf(card), '1'), userName: 'Ana Silva' });
    expect(after.items?.[0].text).toContain('Ana Silva');
  });

  it('stores no member id or learner key, and closing forgets the salt; closed polls take no votes', async () => {
    const { say, rawPolls, storage } = await setup();
    const [card] = await say('fay', { text: 'poll "Q?" "A" "B"' });
    const id = pollIdOf(card);
    for (let i = 0; i < 6; i++) await say(`member-${i}`, { ...vote(id, String((i % 2) + 1)), userName: `Person ${i}` });
    const raw = await rawPolls();
    for (let i = 0; i < 6; i++) {
      expect(raw).not.toContain(`member-${i}`);
      expect(raw).not.toContain(`Person ${i}`);
    }
    expect(raw).not.toContain('learner:');
    const [closed, done] = await say('fay', { text: 'close poll' });
    expect(done.text).toMatch(/The poll is closed/);
    expect(closed.text).toMatch(/This poll is closed\. 6 people voted/);
    expect(closed.choices).toBeUndefined();
    expect(closed.replaces).toBe(card.key);
    const stored = (await storage.read<PollDocument>((await storage.list(POLL_PREFIX))[0]))!.value;
    expect(stored.salt).toBeUndefined();
    const [, note] = await say('member-9', vote(id, '1'));
    expect(note.text).toMatch(/closed/);
    const [none] = await say('fay', { text: 'close poll' });
    expect(none.text).toMatch(/no open poll/);
  });

  it('never loses a vote racing other votes (SQLite, eTags and retries)', async () => {
    const { storage } = await setup();
    let conflicts = 0;
    const write = storage.write.bind(storage);
    storage.write = (async (key: string, value: unknown, options?: { ifMatch?: string }) => {
      try {
        return await write(key, value, options);
      } catch (err) {
        if (err instanceof StorageConflictError) conflicts++;
        throw err;
      }
    }) as typeof storage.write;
    const polls = new PollStore(storage);
    const poll = await polls.create({
      id: 'race',
      channelId: 'msteams',
      conversationId: '19:c',
      kind: 'custom',
      question: 'Q',
      options: [
        { id: '1', label: 'A' },
        { id: '2', label: 'B' },
      ],
      multiple: false,
      anonymous: true,
      minVotes: 5,
      lang: 'en',
      createdAt: NOW.toISOString(),
    });
    // Two stores voting at once, as two instances would: each write carries the etag it read.
    const other = new PollStore(storage);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : polls).vote('msteams', '19:c', poll.id, `learner:msteams:u${i}`, [String((i % 2) + 1)], NOW)));
    const final = (await polls.get('msteams', '19:c', 'race'))!;
    expect(Object.keys(final.ballots)).toHaveLength(20);
    // The votes really raced: some writes were refused for a stale etag and applied again.
    expect(conflicts).toBeGreaterThan(0);
  });
});

describe('poll card renderers', () => {
  const validate = adaptiveCardValidator();
  it.each(['en', 'ar'] as const)('renders open, results and closed poll cards as valid Adaptive Cards and Block Kit (%s)', async (lang) => {
    const { say, loc } = await setup();
    const locale = lang === 'ar' ? 'ar-EG' : 'en-US';
    const [open] = await say('fay', { text: 'poll "Which apply?" "A long option that needs more room than a button has to show it" "B" "C" multiple', locale });
    const id = pollIdOf(open);
    let results: Reply | undefined;
    for (let i = 0; i < 5; i++) results = (await say(`m${i}`, { ...vote(id, '1'), locale }))[0];
    const [closed] = await say('fay', { action: { command: 'poll.close', args: { poll: id } }, locale });
    const t = loc.forLanguage(lang);
    for (const reply of [open, results!, closed]) {
      const card = replyToCard(reply, t, { actionMode: 'execute' });
      expect(validate(card) ? [] : validate.errors).toEqual([]);
      const message = renderBlockKit(reply, t);
      expect(blockKitProblems(message)).toEqual([]);
    }
    const openCard = JSON.stringify(replyToCard(open, t, { actionMode: 'execute' }));
    expect(openCard).toContain('"isMultiSelect":true');
    expect(openCard).toContain('poll.close');
    expect(JSON.stringify(replyToCard(results!, t, { actionMode: 'execute' }))).toContain('100');
    expect(JSON.stringify(renderBlockKit(closed, t).blocks)).not.toContain('"type":"button"');
  });
});

describe('poll strings and settings', () => {
  const flat = (node: unknown, prefix = ''): string[] =>
    node && typeof node === 'object' && !Array.isArray(node) ? Object.entries(node).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
  const strip = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
  it('has every poll string in all five languages', () => {
    const read = (lang: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'locales', lang, 'facilitation.json'), 'utf8'));
    const english = new Set(flat(read('en').polls).map(strip));
    for (const lang of ['es', 'fr', 'pt', 'ar']) {
      const keys = new Set(flat(read(lang).polls).map(strip));
      expect({ lang, missing: [...english].filter((k) => !keys.has(k)) }).toEqual({ lang, missing: [] });
      expect(read(lang).commands.poll.length).toBeGreaterThan(0);
    }
  });

  it('POLL_MIN_VOTES defaults to 5 and cannot go below 3', () => {
    expect(loadConfig({}, REPO_ROOT).POLL_MIN_VOTES).toBe(5);
    expect(loadConfig({ POLL_MIN_VOTES: '3' }, REPO_ROOT).POLL_MIN_VOTES).toBe(3);
    expect(() => loadConfig({ POLL_MIN_VOTES: '2' }, REPO_ROOT)).toThrow(ConfigError);
  });
});

describe('polls in the cohort report', () => {
  it('lists the cohort channel’s polls with their votes, and shares only from the minimum number of voters', async () => {
    const { storage, loc } = await setup();
    const course = (await realCatalog()).get('en');
    const polls = new PollStore(storage);
    const base = { channelId: 'msteams', conversationId: '19:pilot@thread.tacv2;messageid=17', multiple: false, anonymous: true, minVotes: 5, lang: 'en' as const };
    const custom = await polls.create({
      ...base,
      id: '0001',
      kind: 'custom',
      question: 'Which step is hardest?',
      options: [
        { id: '1', label: 'Data' },
        { id: '2', label: 'Skills' },
      ],
      createdAt: NOW.toISOString(),
    });
    const confidence = await polls.create({
      ...base,
      id: '0002',
      kind: 'confidence',
      moduleId: course.modules[1].id,
      question: '',
      options: ['1', '2', '3', '4'].map((id) => ({ id, label: '' })),
      createdAt: NOW.toISOString(),
    });
    for (let i = 0; i < 5; i++) await polls.vote('msteams', base.conversationId, custom.id, `learner:msteams:u${i}`, [i < 4 ? '1' : '2'], NOW);
    for (let i = 0; i < 2; i++) await polls.vote('msteams', base.conversationId, confidence.id, `learner:msteams:u${i}`, ['4'], NOW);
    await polls.create({
      ...base,
      conversationId: '19:elsewhere',
      id: '0003',
      kind: 'custom',
      question: 'Not this channel',
      options: [
        { id: '1', label: 'A' },
        { id: '2', label: 'B' },
      ],
      createdAt: NOW.toISOString(),
    });
    const cohort = { channelId: 'msteams', conversationId: '19:pilot@thread.tacv2' } as Parameters<typeof pollReportItems>[1];
    const items = await pollReportItems(storage, cohort, course, loc.forLanguage('en'), NOW);
    expect(items.map((i) => i.title)).toEqual(['Polls in the cohort channel', `Confidence, module 2: ${course.modules[1].title}`, 'Which step is hardest?']);
    expect(items[1]).toMatchObject({ badge: '2 votes', text: expect.stringMatching(/open · Results not shown: fewer than 5 votes/) });
    expect(items[2]).toMatchObject({ badge: '5 votes', text: 'open · Data: 80% · Skills: 20%' });
  });
});
