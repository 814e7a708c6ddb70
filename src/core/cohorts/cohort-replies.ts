import type { Language } from '../../config/config-schema';
import { directionOf, type Translate } from '../../i18n/i18n';
import type { Course } from '../course/content-model';
import type { Action, Reply, ReplyItem } from '../../intents/reply';
import type { Cohort } from './cohort-model';
import { literal } from '../markdown-literal';
import { addDays } from './cohort-plan';

/** A reply built outside a turn (welcomes, delivery reports), in a given language. */
export function replyIn(lang: Language, partial: Omit<Reply, 'lang' | 'dir' | 'summary'> & { summary?: string }): Reply {
  const summary = partial.summary ?? [partial.title, partial.text].filter(Boolean).join(': ').slice(0, 300);
  return { ...partial, lang, dir: directionOf(lang), summary: summary || partial.intent };
}

/** A calendar date in the reader's language ("7 Dec 2026"); the date is a day, so no time zone shifts it. */
export function formatDate(date: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** The pacing plan as "- Module 1: title, from 7 Dec 2026" lines. */
export function planLines(cohort: Cohort, course: Course, t: Translate, lang: Language): string {
  return course.modules.map((m) => `- ${t('cohorts:plan.line', { order: m.order, title: m.title, date: formatDate(cohort.plan[m.id] ?? cohort.startDate, lang) })}`).join('\n');
}

/** The cohort card: dates, plan, time zone, language and facilitators, with buttons to change them. */
export function cohortCard(
  cohort: Cohort,
  course: Course,
  t: Translate,
  lang: Language,
  options: { title?: string; notice?: string; facilitatorNames: string[]; ownTimeZone?: string },
): Omit<Reply, 'lang' | 'dir' | 'summary'> {
  const memberCount = Object.keys(cohort.members).length;
  const text = [options.notice, t('cohorts:card.planTitle'), planLines(cohort, course, t, lang), t('cohorts:card.howToEdit')].filter(Boolean).join('\n\n');
  const actions: Action[] = [
    { label: t('cohorts:card.later'), command: 'cohort.shift', args: { cohort: cohort.id, weeks: '1' } },
    { label: t('cohorts:card.earlier'), command: 'cohort.shift', args: { cohort: cohort.id, weeks: '-1' } },
    { label: t('cohorts:card.dueLater'), command: 'cohort.due', args: { cohort: cohort.id, date: addDays(cohort.dueDate, 7) } },
  ];
  if (options.ownTimeZone && options.ownTimeZone !== cohort.timeZone) {
    actions.push({ label: t('cohorts:card.useMyZone', { zone: options.ownTimeZone }), command: 'cohort.timezone', args: { cohort: cohort.id, zone: options.ownTimeZone } });
  }
  if (cohort.language !== lang) actions.push({ label: t('cohorts:card.useMyLanguage'), command: 'cohort.language', args: { cohort: cohort.id, language: lang } });
  actions.push({ label: t('cohorts:card.report'), command: 'report', args: { cohort: cohort.id } });
  // The facilitator's other tools, so none is reachable only by typing its command.
  actions.push(
    { label: t('cohorts:card.questions'), command: 'expert.questions' },
    { label: t('cohorts:card.discussions'), command: 'discuss' },
    { label: t('cohorts:card.schedule'), command: 'schedule' },
  );
  return {
    intent: 'settings',
    title: options.title ?? t('cohorts:card.title', { name: literal(cohort.name) }),
    text,
    facts: [
      { label: t('cohorts:card.members'), value: String(memberCount) },
      { label: t('cohorts:card.start'), value: formatDate(cohort.startDate, lang) },
      { label: t('cohorts:card.due'), value: formatDate(cohort.dueDate, lang) },
      { label: t('cohorts:card.timeZone'), value: cohort.timeZone },
      { label: t('cohorts:card.language'), value: t(`cohorts:languages.${cohort.language}`) },
      { label: t('cohorts:card.facilitators'), value: options.facilitatorNames.join(', ') || '—' },
    ],
    actions,
  };
}

/** The personal welcome: the cohort, the plan and the first lesson, with a button to start it. */
export function welcomeReply(cohort: Cohort, course: Course, t: Translate, lang: Language, facilitatorName: string | undefined): Reply {
  const first = course.modules[0]?.lessons[0];
  const text = [
    t('cohorts:welcome.text', { facilitator: facilitatorName ?? t('cohorts:welcome.yourFacilitator'), course: course.title, due: formatDate(cohort.dueDate, lang) }),
    t('cohorts:plan.title'),
    planLines(cohort, course, t, lang),
    first ? t('cohorts:welcome.firstLesson', { title: first.title }) : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const title = t('cohorts:welcome.title', { name: literal(cohort.name) });
  return replyIn(lang, { intent: 'welcome', title, summary: title, text, actions: [{ label: t('cohorts:welcome.start'), command: 'start', style: 'primary' }] });
}

export interface DeliveryTally {
  reached: number;
  unreachable: { name: string; reason: 'not-installed' | 'blocked' | 'left' | 'failed' | 'interrupted' }[];
}

/** The facilitator's delivery report: who was reached, who not, and what to do about each. */
export function deliveryReport(cohort: Cohort, tally: DeliveryTally, t: Translate, lang: Language): Reply {
  const items: ReplyItem[] = tally.unreachable.map((u) => ({ title: literal(u.name), text: t(`cohorts:delivery.reason.${u.reason}`) }));
  const text = tally.unreachable.length ? t('cohorts:delivery.someMissed') : t('cohorts:delivery.allReached');
  const title = t('cohorts:delivery.title', { name: literal(cohort.name) });
  return replyIn(lang, {
    intent: 'progress',
    title,
    summary: title,
    text,
    facts: [
      { label: t('cohorts:delivery.reached'), value: String(tally.reached) },
      { label: t('cohorts:delivery.notReached'), value: String(tally.unreachable.length) },
      { label: t('cohorts:delivery.skippedBots'), value: String(cohort.skipped.bots) },
      { label: t('cohorts:delivery.skippedGuests'), value: String(cohort.skipped.guests) },
    ],
    items,
  });
}
