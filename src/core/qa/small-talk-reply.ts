import type { CommandRegistry } from '../command-registry';
import { quickActions } from '../basics/help';
import type { Action, Reply } from '../../intents/reply';
import type { Turn } from '../turn';
import type { SmallTalkKind } from './small-talk';

/**
 * A short, friendly reply to small talk with the next steps as buttons: never a course passage,
 * never "not covered". "How do I start?" puts Start first; the others offer the usual quick actions.
 */
export function smallTalkReply(turn: Turn, kind: SmallTalkKind, registry: CommandRegistry): Reply {
  const actions: Action[] = quickActions(turn, registry);
  if (!actions.some((a) => a.command === 'help') && registry.get('help')) actions.push({ label: turn.t('common:actions.help'), command: 'help' });
  return turn.reply({ intent: 'small-talk', text: turn.t(`qa:smallTalk.${kind}`), actions, summary: turn.t(`qa:smallTalk.${kind}`) });
}
