import type { Reply } from '../../intents/reply';
import type { Turn } from '../turn';
import type { Course, CourseModule } from '../course/content-model';
import { validTimeZone } from '../reminders/reminder-time';
import { discussionPromptText, threadlessConversation } from './schedule/scheduled-prompt';

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

/**
 * A ready-to-run group discussion, starting now: the same prompt a scheduled one posts (question,
 * format and timing, what happens to replies) and the module's outcomes (its confidence poll is
 * a separate card).
 */
export function discussionReply(turn: Turn, module: CourseModule, optOutMarker: string): Reply {
  const zone = validTimeZone(turn.input.timezone ?? turn.learner.timezone);
  return turn.reply({
    intent: 'reflection',
    title: turn.t('facilitation:discussion.title', { order: module.order, title: module.title }),
    // Outcomes as a list, not facts: a narrow fact column broke "Outcome" mid-word in Teams.
    text: [
      ...discussionPromptText(turn.t, turn.lang, module, turn.now, zone, optOutMarker, threadlessConversation(turn.input)),
      `**${turn.t('facilitation:discussion.outcomesTitle')}**\n${module.outcomes.map((o) => `- ${o.text}`).join('\n')}`,
    ].join('\n\n'),
    // The confidence poll is its own live card, posted right after this one (polls/register-polls.ts).
    actions: [{ label: turn.t('facilitation:actions.otherModules'), command: 'discuss' }],
    summary: turn.t('facilitation:discussion.title', { order: module.order, title: module.title }),
    opensDiscussion: { moduleId: module.id },
  });
}
