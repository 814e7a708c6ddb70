import { SHARED_INDEX_DIR } from '../support/app-harness';
import fs from 'node:fs';
import { learnerKey, type LearnerRecord } from '../../src/core/learner';
import { progressOf } from '../../src/core/course/progress-state';
import { correctAnswer } from './harness';
import { exchange, teamsActivity, startTestApp, tempDir, type RunningApp } from '../support/app-harness';

interface CardData {
  command: string;
  args: Record<string, string>;
}

/** Every button of the reply activities (Action.Submit / Action.Execute data), in card order. */
function buttonsOf(activities: any[]): (CardData & { primary: boolean; title: string })[] {
  const out: (CardData & { primary: boolean; title: string })[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if ((node.type === 'Action.Submit' || node.type === 'Action.Execute') && node.data?.command) {
      out.push({ command: node.data.command, args: node.data.args ?? {}, primary: node.style === 'positive', title: node.title });
      return; // not the fallback of an Execute again
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(activities.map((a) => a.attachments ?? []));
  return out;
}

/** The option values of a multiple-choice card's choice set, in the order shown. */
function choiceValues(activities: any[]): string[] {
  const found: string[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (node.type === 'Input.ChoiceSet') found.push(...node.choices.map((c: any) => c.value));
    for (const value of Object.values(node)) walk(value);
  };
  walk(activities.at(-1)?.attachments ?? []);
  return found;
}

/** Issue 10: the certificate certifies. Two Teams users over POST /api/messages. */
describe('the final assessment over /api/messages (Teams)', () => {
  const dataDir = tempDir('govai-final-teams-');
  const conversation = (id: string) => ({ id: `a:personal-${id}`, conversationType: 'personal', tenantId: 'tenant-1' });
  const user = (id: string) => ({ id: `29:${id}`, name: id === 'knows' ? 'Noor Haddad' : 'Blind Guess', aadObjectId: `aad-${id}` });
  let running: RunningApp;

  const press = (id: string, command: string, args: Record<string, string> = {}) => exchange(running.url, teamsActivity({ from: user(id), conversation: conversation(id), value: { command, args } }));
  const json = (activities: unknown[]) => JSON.stringify(activities);
  const question = (activities: any[]) => buttonsOf(activities.slice(-1)).find((b) => b.command === 'quiz.answer')?.args.question;

  beforeAll(async () => {
    // The retrieval index is kept between runs (rebuilt only when the content changes): the first build is slow.
    const INDEX_DIR = SHARED_INDEX_DIR;
    running = await startTestApp({
      DATA_DIR: dataDir,
      INDEX_DIR,
      REMINDER_TICK_SECONDS: '0',
      WEBCHAT_ENABLED: 'false',
      RATE_LIMIT_TURNS_PER_MINUTE: '0',
      RATE_LIMIT_TENANT_TURNS_PER_MINUTE: '0',
      FINAL_COOLDOWN_HOURS: '24',
      ORG_NAME: 'Ministry of Testing',
      ORG_URL: 'https://ministry.example.org',
    });
  }, 300_000);
  afterAll(async () => {
    await running?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a learner who knows the answers completes the course and gets a certificate; a blind learner does not', async () => {
    const catalog = running.app.catalog;
    // The knowing learner reads every step and answers from the content, through the cards' buttons.
    let replies = await press('knows', 'start');
    let finalDone: any[] | undefined;
    for (let turns = 0; turns < 6000 && !finalDone; turns++) {
      const id = question(replies);
      if (id) {
        replies = await press('knows', 'quiz.answer', { question: id, answer: correctAnswer(catalog, id) });
        continue;
      }
      if (json(replies).includes('Final assessment complete')) {
        finalDone = replies;
        break;
      }
      const buttons = buttonsOf(replies.slice(-1));
      const finalButton = buttons.find((b) => b.command === 'quiz' && b.args.id === 'final');
      if (finalButton && !(await blindCopyMade())) await makeBlindCopy();
      const forward = finalButton ?? buttons.find((b) => b.primary && b.command === 'next') ?? buttons.find((b) => b.primary) ?? buttons.find((b) => b.command === 'next');
      if (!forward) throw new Error(`no way forward: ${json(replies).slice(0, 500)}`);
      replies = await press('knows', forward.command, forward.args);
    }
    expect(finalDone).toBeDefined();
    expect(json(finalDone!)).toContain('You passed');
    const certificate = await press('knows', 'certificate');
    expect(json(certificate)).toContain('Verification id');
    expect(json(certificate)).toContain('/certificates/');

    // The blind learner completed the same modules, then answers the final by position only.
    replies = await press('blind', 'quiz', { id: 'final' });
    for (let turns = 0; turns < 100 && question(replies); turns++) {
      const id = question(replies)!;
      const values = choiceValues(replies);
      const first = buttonsOf(replies.slice(-1)).find((b) => b.command === 'quiz.answer' && b.args.answer)?.args.answer;
      const answer = values.length ? values.slice(0, 3).join(',') : first!;
      replies = await press('blind', 'quiz.answer', { question: id, answer });
      // No right or wrong is shown during the attempt.
      expect(json(replies)).not.toMatch(/Correct!|Not quite/);
    }
    expect(json(replies)).toContain('Final assessment complete');
    expect(json(replies)).toContain('not reached the pass mark of 70% in this attempt');
    const refused = await press('blind', 'certificate');
    expect(json(refused)).not.toContain('Verification id');
    expect(json(refused)).toMatch(/final assessment/i);
    // Asking for a new attempt at once is refused with the time it opens.
    expect(json(await press('blind', 'quiz', { id: 'final' }))).toMatch(/You can take the final assessment again from/);
  }, 300_000);

  const blindKey = learnerKey('msteams', 'aad-blind');
  async function blindCopyMade(): Promise<boolean> {
    return Boolean(await running.app.storage.read(blindKey));
  }
  /** The blind learner has done every module exactly as the knowing one (a copy of the record). */
  async function makeBlindCopy(): Promise<void> {
    const knows = (await running.app.storage.read<LearnerRecord>(learnerKey('msteams', 'aad-knows')))!.value;
    expect(Object.keys(progressOf(knows.data).modulesDone)).toHaveLength(running.app.catalog.get('en').modules.length);
    await running.app.storage.write(blindKey, { ...structuredClone(knows), key: blindKey, userId: 'aad-blind', name: 'Blind Guess', recentActivityIds: [] });
  }
});
