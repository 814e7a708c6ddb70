import type { StoragePort } from '../../ports/storage';
import type { CommandRegistry } from '../command-registry';
import type { CourseCatalog, CourseModule } from '../course/content-model';
import type { Reply } from '../reply';
import type { Turn } from '../turn';
import { ConfidencePolls, POLL_LEVELS, type PollLevel } from './confidence-poll';
import { discussionMenuReply, discussionReply, pollResultsReply } from './discussion-replies';

/**
 * Facilitator tools for group chats and channels: each module's discussion prompt with a
 * timed format, and an anonymous confidence poll whose results the whole group can see.
 * Works in personal chats too, for learners who reflect alone.
 */
export function registerFacilitation(registry: CommandRegistry, deps: { catalog: CourseCatalog; storage: StoragePort }): void {
  const polls = new ConfidencePolls(deps.storage);
  const moduleOf = (turn: Turn, ref: string | undefined): CourseModule | undefined => {
    const course = deps.catalog.get(turn.lang);
    const wanted = (ref ?? '').trim().toLowerCase().replace(/^module\s*/, '');
    if (!wanted) return undefined;
    return course.modules.find((m) => m.id === wanted || String(m.order) === wanted || `m${m.order}` === wanted);
  };
  const unknownModule = (turn: Turn): Reply[] => [
    turn.reply({ intent: 'notice', text: turn.t('facilitation:unknownModule', { count: deps.catalog.get(turn.lang).modules.length }), actions: [{ label: turn.t('facilitation:actions.otherModules'), command: 'discuss' }] }),
  ];

  registry.add({
    name: 'discuss',
    aliasesKey: 'facilitation:commands.discuss',
    helpKey: 'facilitation:help.discuss',
    takesText: true,
    handler: (turn) => {
      if (!turn.text && !turn.args.module) return [discussionMenuReply(turn, deps.catalog.get(turn.lang))];
      const module = moduleOf(turn, turn.args.module ?? turn.text);
      return module ? [discussionReply(turn, module)] : unknownModule(turn);
    },
  });
  registry.add({
    name: 'discuss.open',
    handler: (turn) => {
      const module = moduleOf(turn, turn.args.module);
      return module ? [discussionReply(turn, module)] : unknownModule(turn);
    },
  });
  registry.add({
    name: 'poll.vote',
    handler: async (turn) => {
      const module = moduleOf(turn, turn.args.module);
      const level = turn.args.answer as PollLevel;
      if (!module || !(POLL_LEVELS as readonly string[]).includes(level)) return unknownModule(turn);
      const { channelId, conversationId } = turn.input;
      const tally = await polls.vote(channelId, conversationId, module.id, turn.learner.key, level);
      return [pollResultsReply(turn, module, tally, turn.t('facilitation:poll.recorded'))];
    },
  });
  registry.add({
    name: 'poll.results',
    handler: async (turn) => {
      const module = moduleOf(turn, turn.args.module);
      if (!module) return unknownModule(turn);
      return [pollResultsReply(turn, module, await polls.results(turn.input.channelId, turn.input.conversationId, module.id))];
    },
  });
}
