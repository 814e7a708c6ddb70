import type { JobPort } from '../../ports/jobs';
import type { StoragePort } from '../../ports/storage';
import type { CommandRegistry } from '../command-registry';
import type { CourseCatalog, CourseModule } from '../course/content-model';
import type { Reply } from '../../intents/reply';
import type { Turn } from '../turn';
import { FacilitatorRoles } from '../cohorts/facilitator-roles';
import { discussionMenuReply, discussionReply } from './discussion-replies';
import { registerPolls } from './polls/register-polls';
import { DEFAULT_OPT_OUT_MARKER, type DiscussionThreads } from './threads/discussion-threads';

/**
 * Facilitator tools for group chats and channels: each module's discussion prompt with a
 * timed format, and an anonymous confidence poll whose results the whole group can see.
 * Works in personal chats too, for learners who reflect alone.
 */
export function registerFacilitation(
  registry: CommandRegistry,
  deps: { catalog: CourseCatalog; storage: StoragePort; polls?: { roles: FacilitatorRoles; minVotes: number; jobs?: JobPort }; threads?: DiscussionThreads },
): void {
  /** The module's prompt, then its confidence poll as a live card of its own; in a channel thread, the bot follows its replies. */
  const discussion = async (turn: Turn, module: CourseModule): Promise<Reply[]> => {
    const { channelId, conversationId, threadId, scope } = turn.input;
    if (deps.threads && threadId && scope !== 'personal') await deps.threads.follow({ channelId, conversationId, rootId: threadId, moduleId: module.id, lang: turn.lang, postedAt: turn.now });
    return [discussionReply(turn, module, deps.threads?.optOutMarker ?? DEFAULT_OPT_OUT_MARKER), await polls.openConfidencePoll(turn, module)];
  };
  const moduleOf = (turn: Turn, ref: string | undefined): CourseModule | undefined => {
    const course = deps.catalog.get(turn.lang);
    const wanted = (ref ?? '')
      .trim()
      .toLowerCase()
      .replace(/^module\s*/, '');
    if (!wanted) return undefined;
    return course.modules.find((m) => m.id === wanted || String(m.order) === wanted || `m${m.order}` === wanted);
  };
  const unknownModule = (turn: Turn): Reply[] => [
    turn.reply({
      intent: 'notice',
      text: turn.t('facilitation:unknownModule', { count: deps.catalog.get(turn.lang).modules.length }),
      actions: [{ label: turn.t('facilitation:actions.otherModules'), command: 'discuss' }],
    }),
  ];

  registry.add({
    name: 'discuss',
    aliasesKey: 'facilitation:commands.discuss',
    helpKey: 'facilitation:help.discuss',
    takesText: true,
    handler: (turn) => {
      if (!turn.text && !turn.args.module) return [discussionMenuReply(turn, deps.catalog.get(turn.lang))];
      const module = moduleOf(turn, turn.args.module ?? turn.text);
      return module ? discussion(turn, module) : unknownModule(turn);
    },
  });
  registry.add({
    name: 'discuss.open',
    handler: (turn) => {
      const module = moduleOf(turn, turn.args.module);
      return module ? discussion(turn, module) : unknownModule(turn);
    },
  });
  // Registered after `discuss`, so help lists the discussion first.
  const polls = registerPolls(registry, {
    storage: deps.storage,
    catalog: deps.catalog,
    roles: deps.polls?.roles ?? new FacilitatorRoles([]),
    minVotes: deps.polls?.minVotes ?? 5,
    jobs: deps.polls?.jobs,
  });
}
