import type { Reply } from '../reply';
import type { Turn } from '../turn';
import type { Course, CourseModule } from '../course/content-model';

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

/** A ready-to-run group discussion: the module's prompt and a timed format (its confidence poll is a separate card). */
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
    ].join('\n\n'),
    // The confidence poll is its own live card, posted right after this one (polls/register-polls.ts).
    actions: [
      { label: turn.t('facilitation:actions.otherModules'), command: 'discuss' },
    ],
    summary: turn.t('facilitation:discussion.title', { order: module.order, title: module.title }),
  });
}
