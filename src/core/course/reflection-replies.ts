import type { Reply } from '../../intents/reply';
import type { Turn } from '../turn';
import type { CourseModule } from './content-model';
import { action } from './course-replies';
import { placeToken } from './progress-state';
import { literal } from '../markdown-literal';

/** The learner's reflection was kept as their own work: say so, and lead on to the module quiz. */
export function reflectionSavedReply(turn: Turn, module: CourseModule, cohortName?: string): Reply {
  const at = { at: placeToken({ kind: 'reflection', moduleId: module.id }) };
  return turn.reply({
    intent: 'reflection',
    title: turn.t('course:reflection.savedTitle'),
    text: [turn.t('course:reflection.saved'), cohortName ? turn.t('course:reflection.canShare', { cohort: literal(cohortName) }) : undefined].filter(Boolean).join('\n\n'),
    position: turn.t('course:position.reflection', { module: module.order }),
    actions: [
      action(turn, 'moduleQuiz', 'next', at, true),
      ...(cohortName ? [action(turn, 'shareReflection', 'reflection.share', { module: module.id })] : []),
      action(turn, 'reflection', 'reflection', { module: module.id }),
    ],
  });
}
