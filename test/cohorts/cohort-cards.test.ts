import fs from 'node:fs';
import path from 'node:path';
import { loadCourseCatalog } from '../../src/adapters/content/course-loader';
import { SUPPORTED_LANGUAGES } from '../../src/config/config-schema';
import type { Cohort } from '../../src/core/cohorts/cohort-model';
import { cohortCard, deliveryReport, replyIn, welcomeReply } from '../../src/core/cohorts/cohort-replies';
import { reportItems, type MemberStanding } from '../../src/core/cohorts/cohort-report';
import { answeredQuestionCard, questionCard, type ExpertQuestion } from '../../src/core/cohorts/expert-questions';
import type { CourseCatalog } from '../../src/core/course/content-model';
import type { Reply } from '../../src/intents/reply';
import { createLocalizer, type Localizer } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logging/logger';
import { replyToCard } from '../../src/render/adaptive-card-renderer';
import { renderBlockKit } from '../../src/render/block-kit-renderer';
import { REPO_ROOT } from '../support/app-harness';
import { blockKitProblems } from '../slack/block-kit-limits';
import { adaptiveCardValidator } from '../teams/card-support';

const validate = adaptiveCardValidator();

/** A large cohort: 200 members, long names, every module planned. */
function bigCohort(catalog: CourseCatalog): Cohort {
  const course = catalog.get('en');
  const members = Object.fromEntries(
    Array.from({ length: 200 }, (_, i) => [`u${i}`, { userId: `u${i}`, name: `Member with a rather long name number ${i}`, address: {}, joinedAt: '2026-12-01T00:00:00Z' }]),
  );
  return {
    id: 'c1',
    name: 'Ministry of Finance, spring 2027 programme',
    channelId: 'msteams',
    conversationId: '19:x',
    createdAt: '2026-12-01T00:00:00Z',
    facilitators: ['f1'],
    facilitatorAddresses: {},
    facilitatorNames: { f1: 'Fay' },
    startDate: '2026-12-01',
    dueDate: '2027-01-12',
    timeZone: 'Europe/Paris',
    language: 'en',
    plan: Object.fromEntries(course.modules.map((m, i) => [m.id, `2026-12-0${i + 1}`])),
    members,
    skipped: { bots: 1, guests: 2 },
    updatedAt: '2026-12-01T00:00:00Z',
  };
}

describe('cohort cards in all five languages', () => {
  let catalog: CourseCatalog;
  let localizer: Localizer;
  beforeAll(async () => {
    catalog = await loadCourseCatalog(path.join(REPO_ROOT, 'knowledge'), createLogger({ level: 'silent' }));
    localizer = await createLocalizer();
  });

  it("offers the facilitator's tools as buttons on the cohort card: report, learners' questions, discussions, the schedule", () => {
    const lang = 'fr' as const;
    const card = cohortCard(bigCohort(catalog), catalog.get(lang), localizer.forLanguage(lang), lang, { facilitatorNames: ['Fay'] });
    expect(card.actions?.map((a) => a.command)).toEqual(expect.arrayContaining(['report', 'expert.questions', 'discuss', 'schedule']));
    expect(card.actions?.find((a) => a.command === 'expert.questions')?.label).toBe('Questions des participants');
  });

  it('has every cohort string translated in es, fr, pt and ar (no missing keys, no English copies)', () => {
    const flat = (lang: string) => {
      const out: Record<string, unknown> = {};
      const walk = (node: unknown, prefix: string) => {
        if (node && typeof node === 'object' && !Array.isArray(node)) for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
        else out[prefix] = node;
      };
      walk(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'locales', lang, 'cohorts.json'), 'utf8')), '');
      return out;
    };
    const en = flat('en');
    const pluralBase = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
    for (const lang of ['es', 'fr', 'pt', 'ar']) {
      const other = flat(lang);
      const bases = new Set(Object.keys(other).map(pluralBase));
      for (const key of Object.keys(en)) expect([lang, bases.has(pluralBase(key))]).toEqual([lang, true]);
      // Strings that are the same in English by nature: proper names, "CSV", "no".
      const copies = Object.keys(en).filter((k) => typeof en[k] === 'string' && en[k] === other[k] && !/languages\.|export\.no$|card\.saved/.test(k));
      expect([lang, copies]).toEqual([lang, []]);
    }
  });

  for (const lang of SUPPORTED_LANGUAGES) {
    it(`renders the cohort card, welcome, delivery report, report and expert question cards in ${lang} as valid Adaptive Cards and Block Kit`, () => {
      const t = localizer.forLanguage(lang);
      const cohort = bigCohort(catalog);
      const course = catalog.get(lang);
      const question: ExpertQuestion = {
        id: 'K7Q2A',
        learnerKey: 'learner:msteams:u1',
        channelId: 'msteams',
        userId: 'u1',
        learnerName: 'نور الهدى',
        lang,
        text: 'q'.repeat(500),
        askedAt: '2026-12-01T00:00:00Z',
        status: 'open',
      };
      const standings: MemberStanding[] = Object.values(cohort.members).map((member, i) => ({
        member,
        modulesDone: i % 2 ? ['m1'] : [],
        moduleScores: { m1: 0.8 },
        finalPassed: false,
        finished: i === 0,
        behind: i > 0,
        nudgesStopped: false,
      }));
      const replies: Reply[] = [
        replyIn(lang, cohortCard(cohort, course, t, lang, { facilitatorNames: ['Fay'], ownTimeZone: 'Asia/Amman' })),
        welcomeReply(cohort, course, t, lang, 'Fay'),
        deliveryReport(
          cohort,
          { reached: 190, unreachable: Array.from({ length: 10 }, (_, i) => ({ name: `Person ${i}`, reason: (['not-installed', 'blocked', 'left', 'failed', 'interrupted'] as const)[i % 5] })) },
          t,
          lang,
        ),
        replyIn(lang, { intent: 'progress', title: t('cohorts:report.title', { name: cohort.name }), items: reportItems(cohort, course, standings, t, lang, 5) }),
        questionCard(question, ['Module 1 › Lesson 1 › Step 2', 'Module 3 › Lesson 2 › Step 1'], t, lang),
        answeredQuestionCard({ ...question, status: 'answered', answer: 'x'.repeat(2000), answeredByName: 'Fay' }, t, lang),
      ];
      for (const reply of replies) {
        const card = replyToCard(reply, t, { actionMode: 'execute' });
        expect(validate(card) ? [] : validate.errors).toEqual([]);
        const text = JSON.stringify(card);
        expect(text).not.toMatch(/cohorts:|\{\{/);
        expect(card.rtl ?? false).toBe(lang === 'ar');
        const message = renderBlockKit(reply, t);
        expect(blockKitProblems({ text: message.text, blocks: message.blocks })).toEqual([]);
      }
    });
  }
});
