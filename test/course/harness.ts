import path from 'node:path';
import pino from 'pino';
import { createLocalizer, type Localizer } from '../../src/i18n/i18n';
import { Coach } from '../../src/core/coach';
import { CommandRegistry } from '../../src/core/command-registry';
import { registerHelp } from '../../src/core/basics/help';
import { registerWelcome } from '../../src/core/basics/welcome';
import { registerLanguage } from '../../src/core/basics/language';
import { registerCourse } from '../../src/core/course/journey';
import type { CourseCatalog } from '../../src/core/course/content-model';
import type { Reply } from '../../src/intents/reply';
import type { TurnInput, TurnResult } from '../../src/core/turn';
import { loadCourseCatalog } from '../../src/adapters/content/course-loader';
import { CertificateStore } from '../../src/adapters/certificates/certificate-store';
import type { StoragePort } from '../../src/ports/storage';
import { renderText } from '../../src/render/text-renderer';
import { indexOf } from '../../src/core/course/course-index';
import type { Language } from '../../src/config/config-schema';

import { REPO_ROOT } from '../support/app-harness';

export { REPO_ROOT, SHARED_DIR } from '../support/app-harness';
export const KNOWLEDGE_DIR = path.join(REPO_ROOT, 'knowledge');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'course-broken');

export const silentLogger = pino({ level: 'silent' });

let catalogPromise: Promise<CourseCatalog> | undefined;
export function realCatalog(): Promise<CourseCatalog> {
  return (catalogPromise ??= loadCourseCatalog(KNOWLEDGE_DIR));
}

let localizerPromise: Promise<Localizer> | undefined;
export function localizer(): Promise<Localizer> {
  return (localizerPromise ??= createLocalizer(path.join(REPO_ROOT, 'locales')));
}

export interface Harness {
  coach: Coach;
  certificates: CertificateStore;
  /** Sends one turn as the same learner; `now` defaults to the harness clock. */
  send(input: Partial<TurnInput>): Promise<TurnResult>;
  say(text: string, extra?: Partial<TurnInput>): Promise<Reply[]>;
  press(command: string, args?: Record<string, string>, extra?: Partial<TurnInput>): Promise<Reply[]>;
  clock: { now: Date };
  text(reply: Reply): Promise<string>;
}

/** A coach with the course feature over the given storage, talking as one Teams learner. */
export async function courseHarness(storage: StoragePort, start = new Date('2026-03-02T09:00:00Z'), options: { finalCooldownHours?: number; userId?: string } = {}): Promise<Harness> {
  const loc = await localizer();
  const catalog = await realCatalog();
  const registry = new CommandRegistry(loc);
  registerHelp(registry);
  registerLanguage(registry);
  registerWelcome(registry, 'Test Org');
  const certificates = new CertificateStore(storage, { issuer: { name: 'Test Org', url: 'https://example.org' }, baseUrl: () => 'http://127.0.0.1:1' });
  registerCourse(registry, { catalog, certificates, ...(options.finalCooldownHours !== undefined ? { finalCooldownHours: options.finalCooldownHours } : {}) });
  const coach = new Coach({ storage, localizer: loc, registry, logger: silentLogger, defaultLanguage: 'en' });
  const clock = { now: start };
  const send = (input: Partial<TurnInput>) =>
    coach.handle({ channelId: 'msteams', userId: options.userId ?? 'u1', userName: 'Amina Diallo', conversationId: 'c1', scope: 'personal', now: clock.now, ...input });
  return {
    coach,
    certificates,
    clock,
    send,
    say: async (text, extra) => (await send({ text, ...extra })).replies,
    press: async (command, args, extra) => (await send({ action: { command, args }, ...extra })).replies,
    text: async (reply) => renderText(reply, loc.forLanguage(reply.lang)),
  };
}

/** The option ids that answer `question` correctly, read from the course content (never from positions). */
export function correctAnswer(catalog: CourseCatalog, questionId: string, lang: Language = 'en'): string {
  const question = indexOf(catalog.get(lang)).questions.get(questionId)?.question;
  if (!question) throw new Error(`no question ${questionId}`);
  return question.options
    .filter((o) => o.correct)
    .map((o) => o.id)
    .join(',');
}

/**
 * Presses the way forward (the primary Next/Continue, the final assessment's button) and answers
 * every question correctly from the content, until `done` matches the last reply.
 */
export async function walkCourse(h: Pick<Harness, 'press'>, catalog: CourseCatalog, done: (r: Reply) => boolean, start?: Reply[], maxTurns = 8000): Promise<Reply> {
  let replies = start ?? (await h.press('next'));
  for (let turns = 0; turns < maxTurns; turns++) {
    const last = replies.at(-1)!;
    if (done(last)) return last;
    if (last.intent === 'ask-question') {
      const question = last.choices!.args.question;
      replies = await h.press('quiz.answer', { question, answer: correctAnswer(catalog, question, last.lang) });
      continue;
    }
    const forward = last.actions?.find((a) => a.command === 'next' || (a.command === 'quiz' && a.args?.id === 'final')) ?? last.actions?.find((a) => a.style === 'primary');
    if (!forward) throw new Error(`no way forward from ${last.intent}: ${last.text}`);
    replies = await h.press(forward.command, forward.args);
  }
  throw new Error('walk did not finish');
}
