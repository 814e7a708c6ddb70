import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryCourseCatalog, loadLanguage } from '../../src/adapters/content/course-loader';
import { CertificateStore } from '../../src/adapters/certificates/certificate-store';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { Coach } from '../../src/core/coach';
import { CommandRegistry } from '../../src/core/command-registry';
import type { Language } from '../../src/config/config-schema';
import type { Course } from '../../src/core/course/content-model';
import { registerCourse } from '../../src/core/course/journey';
import { learnerRecordSource } from '../../src/core/privacy/feature-sources';
import { PersonalDataRegistry } from '../../src/core/privacy/personal-data';
import type { LlmPort } from '../../src/ports/llm';
import type { Reply } from '../../src/intents/reply';
import { renderText } from '../../src/render/text-renderer';
import { cohortReflectionSharing } from '../../src/core/cohorts/reflection-sharing';
import type { CohortChannelPort } from '../../src/ports/cohort-channels';
import { replyToCard } from '../../src/render/adaptive-card-renderer';
import { renderBlockKit } from '../../src/render/block-kit-renderer';
import { completion, FakeOpenAiServer, fakeServerLlm } from '../qa/fake-openai-server';
import { localizer, REPO_ROOT, silentLogger } from './harness';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'course-exercises');

/** The fixture course with its one valid lesson (l2 holds the broken exercises of the loader test). */
async function fixtureCourse(lang: Language): Promise<Course> {
  const course = (await loadLanguage(DIR, lang)).course!;
  return { ...course, modules: course.modules.map((m) => ({ ...m, lessons: m.lessons.filter((l) => l.id === 'm1-l1') })) };
}

const only = (replies: Reply[]) => {
  expect(replies).toHaveLength(1);
  return replies[0];
};

const WEAK_PROMPT = 'Summarise these comments.';
const STRONG_PROMPT =
  'You are a policy analyst in the transport department. Summarise the 40 consultation comments from residents on the new bus route in five bullet points. ' +
  'Use only the comments given and do not name any resident. For example: "Safety: 12 comments ask for lighting at stops".';

describe('exercises and reflections in the journey', () => {
  let dir: string;
  let storage: SqliteStorage;
  let llm: LlmPort | undefined;
  let user = 0;
  let coach: Coach;
  const posted: { conversationId: string; replies: Reply[] }[] = [];
  const channel = {
    sendToConversation: async (conversationId: string, replies: Reply[]) => {
      posted.push({ conversationId, replies });
      return { outcome: 'sent' as const };
    },
  } as unknown as CohortChannelPort;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-exercises-'));
    storage = new SqliteStorage(path.join(dir, 'coach.sqlite'));
    await storage.open();
    const loc = await localizer();
    const catalog = new InMemoryCourseCatalog(new Map([['en', await fixtureCourse('en')]]));
    const registry = new CommandRegistry(loc);
    const certificates = new CertificateStore(storage, { issuer: { name: 'Test Org' }, baseUrl: () => 'http://127.0.0.1:1' });
    registerCourse(registry, { catalog, certificates, llm: async () => llm, llmBudgetMs: 2000, reflectionSharing: cohortReflectionSharing(storage, { msteams: channel }) });
    // Free text that is not for the course is a question: this stands in for Q&A.
    registry.fallback((turn) => [turn.reply({ intent: 'answer', text: `Q&A got: ${turn.text}` })]);
    coach = new Coach({ storage, localizer: loc, registry, logger: silentLogger, defaultLanguage: 'en' });
  });
  afterAll(async () => {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A new learner at the first exercise (after the lesson's last step). */
  async function learnerAtExercise(userId = `u${++user}`) {
    const send = async (input: { text?: string; action?: { command: string; args?: Record<string, string> } }) =>
      (await coach.handle({ channelId: 'msteams', userId, userName: 'Amina Diallo', conversationId: 'c1', scope: 'personal', now: new Date('2026-03-02T09:00:00Z'), ...input })).replies;
    await send({ action: { command: 'lesson.open', args: { lesson: 'm1-l1' } } });
    await send({ action: { command: 'next' } });
    const last = only(await send({ action: { command: 'next' } }));
    expect(last.actions![0]).toMatchObject({ label: 'Start the exercise', command: 'next' });
    const exercise = only(await send({ action: last.actions![0] }));
    return { userId, send, exercise };
  }

  it('shows the exercise after the last step: task, buttons Skip, Show model answer and Help', async () => {
    const { exercise } = await learnerAtExercise();
    expect(exercise.intent).toBe('exercise');
    expect(exercise.title).toBe('Exercise: Write a prompt for a consultation summary');
    expect(exercise.text).toContain('summarise 40 public comments on a new bus route');
    expect(exercise.actions!.map((a) => a.label)).toEqual(['Skip', 'Show model answer', 'Help']);
  });

  it('gives a weak and a strong prompt different, specific feedback offline, naming what is missing with its tip', async () => {
    const weak = await learnerAtExercise();
    const weakFeedback = only(await weak.send({ text: WEAK_PROMPT }));
    expect(weakFeedback.intent).toBe('exercise-feedback');
    expect(weakFeedback.text).toContain('Your answer covers 1 of 6 points.');
    expect(weakFeedback.text).toContain('✓ Task');
    expect(weakFeedback.text).toContain('Role: Say who the model should act as');
    expect(weakFeedback.text).toContain('Constraints: Set limits');
    expect(weakFeedback.actions!.map((a) => a.label)).toEqual(['Continue', 'Try again', 'Show model answer']);

    const strong = await learnerAtExercise();
    const strongFeedback = only(await strong.send({ text: STRONG_PROMPT }));
    expect(strongFeedback.text).toContain('Well done: your answer covers all 6 points.');
    expect(strongFeedback.text).not.toContain('Missing');
  });

  it('matches cues without regard to case or accents', async () => {
    const { send } = await learnerAtExercise();
    const feedback = only(await send({ text: 'ACT AS an analyst and SUMMARÍSE the résidents’ comments' }));
    expect(feedback.text).toContain('✓ Role');
    expect(feedback.text).toContain('✓ Task');
  });

  it('tells which personal data remains in a redacted case note, and what the redaction check still finds', async () => {
    const { send } = await learnerAtExercise();
    await send({ action: { command: 'next' } });
    // The e-mail address, the phone number and the name are left in; only the street address is gone.
    const feedback = only(await send({ text: 'Case note: Ama Mensah (a.mensah@example.org, +44 7700 900123) asked on 3 May about her housing benefit. She lives at [address].' }));
    expect(feedback.text).toContain('You removed 1 of 4 items of personal data.');
    expect(feedback.text).toContain('**Still in your text**\n- the name\n- the e-mail address\n- the phone number');
    expect(feedback.text).not.toContain('- the street address');
    expect(feedback.text).toContain('The personal-data check still finds: a personal name, an e-mail address, a phone number.');
    const better = only(await send({ text: 'Case note: Ama Mensah ([email], [phone]) asked on 3 May about her housing benefit. She lives at [address].' }));
    expect(better.text).toContain('You removed 3 of 4 items of personal data.');
    expect(better.text).toContain('**Still in your text**\n- the name\n');
    const clean = only(await send({ text: 'Case note: [name] ([email], [phone]) asked on 3 May about her housing benefit. She lives at [address].' }));
    expect(clean.text).toContain('Well done: all 4 items of personal data are gone.');
  });

  it('keeps commands working while an exercise is open, and sends questions to Q&A once the learner moves on', async () => {
    const { send } = await learnerAtExercise();
    const progress = only(await send({ text: 'progress' }));
    expect(progress.intent).toBe('progress');
    const skipped = only(await send({ action: { command: 'next' } }));
    expect(skipped.title).toBe('Exercise: Redact a case note');
    await send({ action: { command: 'next' } });
    const qa = only(await send({ text: 'What is a prompt?' }));
    expect(qa.text).toBe('Q&A got: What is a prompt?');
  });

  it('renders the exercise and its feedback as text, Adaptive Card and Block Kit', async () => {
    const { send, exercise } = await learnerAtExercise();
    const feedback = only(await send({ text: WEAK_PROMPT }));
    const t = (await localizer()).forLanguage('en');
    for (const reply of [exercise, feedback]) {
      const text = renderText(reply, t);
      expect(text).toContain(reply.title!);
      const card = JSON.stringify(replyToCard(reply, t, { actionMode: 'execute' }));
      expect(card).toContain('Show model answer');
      const blocks = JSON.stringify(renderBlockKit(reply, t));
      expect(blocks).toContain('Show model answer');
    }
    expect(renderText(feedback, t)).toMatch(/1\. Continue/);
  });

  it('stores attempts and a typed reflection as the learner\'s work, in the "my data" export', async () => {
    const { userId, send } = await learnerAtExercise();
    await send({ text: WEAK_PROMPT });
    const model = only(await send({ action: { command: 'exercise.model', args: { exercise: 'm1-l1-x1' } } }));
    expect(model.text).toContain('You are a policy analyst');
    await send({ action: { command: 'reflection', args: { module: 'm1' } } });
    const saved = only(await send({ text: 'I would try it on meeting notes, and never paste case files.' }));
    expect(saved.title).toBe('Reflection saved');
    expect(saved.actions![0]).toMatchObject({ label: 'Take the module quiz', command: 'next' });

    const registry = new PersonalDataRegistry().register(learnerRecordSource(storage));
    const { file } = await registry.exportAll({ learnerKey: `learner:msteams:${userId}`, channelId: 'msteams', userId }, new Date());
    const work = (file.sections.learnerRecord as { data: { work: any } }).data.work;
    expect(work.exercises['m1-l1-x1'][0]).toMatchObject({ answer: WEAK_PROMPT, met: ['task'], feedbackBy: 'rubric' });
    expect(work.reflections.m1[0].text).toBe('I would try it on meeting notes, and never paste case files.');
    await registry.eraseAll({ learnerKey: `learner:msteams:${userId}`, channelId: 'msteams', userId });
    expect(await storage.read(`learner:msteams:${userId}`)).toBeUndefined();
  });

  it('offers a member of a cohort with a channel to share the reflection there, and records that it was shared', async () => {
    await storage.write('cohort:c-1', {
      id: 'c-1',
      name: 'Spring cohort',
      channelId: 'msteams',
      conversationId: '19:cohort-channel',
      createdAt: '2026-03-01T00:00:00Z',
      facilitators: [],
      facilitatorAddresses: {},
      facilitatorNames: {},
      startDate: '2026-03-01',
      dueDate: '2026-04-30',
      timeZone: 'UTC',
      language: 'en',
      plan: {},
      members: { 'u-member': { userId: 'u-member', address: {}, joinedAt: '2026-03-01T00:00:00Z' } },
      skipped: { bots: 0, guests: 0 },
      updatedAt: '2026-03-01T00:00:00Z',
    });
    const outsider = await learnerAtExercise();
    await outsider.send({ action: { command: 'reflection', args: { module: 'm1' } } });
    const alone = only(await outsider.send({ text: 'Only for me.' }));
    expect(alone.actions!.map((a) => a.label)).not.toContain('Share with my cohort');

    const member = await learnerAtExercise('u-member');
    await member.send({ action: { command: 'reflection', args: { module: 'm1' } } });
    const saved = only(await member.send({ text: 'Meeting notes first; never case files.' }));
    expect(saved.text).toContain('share it with your cohort “Spring cohort”');
    const share = saved.actions!.find((a) => a.label === 'Share with my cohort')!;
    const done = only(await member.send({ action: share }));
    expect(done.text).toBe("Shared in your cohort's channel.");
    expect(posted).toHaveLength(1);
    expect(posted[0].conversationId).toBe('19:cohort-channel');
    expect(posted[0].replies[0].title).toBe('Amina Diallo shares a reflection on module 1: Fixture module');
    expect(posted[0].replies[0].text).toBe('Meeting notes first; never case files.');
    const again = only(await member.send({ action: share }));
    expect(again.text).toContain('no reflection to share');
    expect(posted).toHaveLength(1);
    const record = (await storage.read<any>('learner:msteams:u-member'))!.value;
    expect(record.data.work.reflections.m1[0].sharedAt).toBe('2026-03-02T09:00:00.000Z');
  });

  describe('with a model over the OpenAI wire format', () => {
    let server: FakeOpenAiServer;
    beforeEach(async () => {
      server = new FakeOpenAiServer();
      const url = await server.start();
      llm = fakeServerLlm(url, { timeoutMs: 1500 });
    });
    afterEach(async () => {
      llm = undefined;
      await server.close().catch(() => undefined);
    });

    it("shows the model's feedback, written against the rubric it was given, with personal data redacted", async () => {
      server.script(completion('Good start: the task is clear. Add a role, such as "You are a transport analyst".'));
      const { send } = await learnerAtExercise();
      const feedback = only(await send({ text: `${WEAK_PROMPT} Mail me at ana@example.org` }));
      expect(feedback.text).toContain('Add a role, such as "You are a transport analyst".');
      expect(feedback.text).toContain('Your answer covers 1 of 6 points.');
      const sent = JSON.stringify(server.requests[0].body);
      expect(server.requests[0].path).toBe('/v1/chat/completions');
      expect(sent).toContain('Checks missing, with their tips');
      expect(sent).toContain('Role: Say who the model should act as');
      expect(sent).not.toContain('ana@example.org');
    });

    it('falls back to the offline rubric feedback when the endpoint dies', async () => {
      await server.close();
      const { send } = await learnerAtExercise();
      const feedback = only(await send({ text: WEAK_PROMPT }));
      expect(feedback.text).toContain('Your answer covers 1 of 6 points.');
      expect(feedback.text).toContain('Role: Say who the model should act as');
    });
  });
});
