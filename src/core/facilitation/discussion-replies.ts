import type { Reply } from '../reply';
import type { Turn } from '../turn';
import type { Course, CourseModule } from '../course/content-model';
import { POLL_LEVELS, type PollTally } from './confidence-poll';

/** The modules to pick a discussion from. */
export function discussionMenuReply(turn: Turn, course: Course): Reply {
  return turn.reply({
    intent: 'reflection',
    title: turn.t('facilitation:menu.title'),
    text: turn.t('facilitation:menu.text'),
    items: course.modules.map((m) => ({
      title: turn.t('facilitation:menu.item', { order: m.order, title: m.title }),
      text: m.summary,
      action: { label: turn.t('facilitation:actions.discuss', { order: m.order }), command: 'discuss.open', args: { module: m.id } },
    })),
  });
}

/** A ready-to-run group discussion: the module's prompt, a timed format, and a confidence poll. */
export function discussionReply(turn: Turn, module: CourseModule): Reply {
  return turn.reply({
    intent: 'reflection',
    title: turn.t('facilitation:discussion.title', { order: module.order, title: module.title }),
    // Outcomes as a list, not facts: a narrow fact column broke "Outcome" mid-word in Teams.
    // The poll question is stated above its options (single-choice buttons have no input label).
    text: [
      module.reflection,
      `**${turn.t('facilitation:discussion.outcomesTitle')}**\n${module.outcomes.map((o) => `- ${o.text}`).join('\n')}`,
      `**${turn.t('facilitation:discussion.formatTitle')}**`,
      turn.t('facilitation:discussion.format'),
      `**${turn.t('facilitation:poll.question')}**`,
    ].join('\n\n'),
    choices: {
      selection: 'single',
      command: 'poll.vote',
      args: { module: module.id },
      inputLabel: turn.t('facilitation:poll.question'),
      options: POLL_LEVELS.map((level) => ({ id: level, label: turn.t(`facilitation:poll.levels.${level}`) })),
    },
    actions: [
      { label: turn.t('facilitation:actions.results'), command: 'poll.results', args: { module: module.id } },
      { label: turn.t('facilitation:actions.otherModules'), command: 'discuss' },
    ],
    summary: turn.t('facilitation:discussion.title', { order: module.order, title: module.title }),
  });
}

export function pollResultsReply(turn: Turn, module: CourseModule, tally: PollTally, notice?: string): Reply {
  return turn.reply({
    intent: 'reflection',
    title: turn.t('facilitation:poll.resultsTitle', { order: module.order, title: module.title }),
    text: [notice, turn.t('facilitation:poll.question'), tally.total ? turn.t('facilitation:poll.total', { count: tally.total }) : turn.t('facilitation:poll.none')]
      .filter(Boolean)
      .join('\n\n'),
    items: tally.total
      ? POLL_LEVELS.map((level) => ({ title: turn.t(`facilitation:poll.levels.${level}`), badge: String(tally.counts[level]), text: percentBar(tally.counts[level], tally.total) }))
      : undefined,
    actions: [
      { label: turn.t('facilitation:actions.refresh'), command: 'poll.results', args: { module: module.id } },
      { label: turn.t('facilitation:actions.backToDiscussion'), command: 'discuss.open', args: { module: module.id } },
    ],
  });
}

function percentBar(count: number, total: number): string {
  const pct = Math.round((count / total) * 100);
  return `${'█'.repeat(Math.round(pct / 10))}${'░'.repeat(10 - Math.round(pct / 10))} ${pct}%`;
}
