import type { JobPort } from '../../../ports/jobs';
import type { StoragePort } from '../../../ports/storage';
import { POLL_CLOSE_JOB, pollCloseGroup, type PollCloseJobPayload } from './poll-closer';
import type { CommandRegistry } from '../../command-registry';
import { channelConversationId } from '../../cohorts/cohort-model';
import { localDate } from '../../cohorts/cohort-plan';
import { CohortStore } from '../../cohorts/cohort-store';
import type { FacilitatorRoles } from '../../cohorts/facilitator-roles';
import type { CourseCatalog, CourseModule } from '../../course/content-model';
import { learnerKey } from '../../learner';
import type { Reply } from '../../../intents/reply';
import { nextOccurrence, validTimeZone } from '../../reminders/reminder-time';
import type { Turn } from '../../turn';
import { parsePollCommand, type PollClosing } from './poll-parse';
import { CONFIDENCE_LEVELS, pollCard, privateNote } from './poll-replies';
import { isClosed, newPollId, POLL_MAX_OPTIONS, POLL_MIN_OPTIONS, POLL_MIN_VOTES_FLOOR, pollCardKey, PollStore, type PollDocument } from './poll-store';

export interface PollDeps {
  storage: StoragePort;
  catalog: CourseCatalog;
  /** Who may create and close polls (FACILITATORS, and each cohort's own facilitators in its channel). */
  roles: FacilitatorRoles;
  /** POLL_MIN_VOTES: anonymous results stay hidden until this many voted (never below 3). */
  minVotes: number;
  /** Where a poll with a closing time gets its closing job (PollCloser redraws the card then). */
  jobs?: JobPort;
}

export interface PollFeature {
  /** A new confidence poll for a module in this conversation (posted with `discuss N`). */
  openConfidencePoll(turn: Turn, module: CourseModule): Promise<Reply>;
}

/**
 * Live group polls: `poll "Question?" "A" "B" [multiple] [named] [closes 17:00 | closes in 2h]`
 * by a facilitator, and the module confidence poll of `discuss N`, on one model. Each vote
 * updates the one poll card in place and tells the voter privately that it counted; the
 * facilitator closes it with `close poll` or its button. Anonymous polls keep no voter id.
 */
export function registerPolls(registry: CommandRegistry, deps: PollDeps): PollFeature {
  const store = new PollStore(deps.storage);
  const cohorts = new CohortStore(deps.storage);
  const minVotes = Math.max(POLL_MIN_VOTES_FLOOR, Math.floor(deps.minVotes));

  const isFacilitator = async (turn: Turn): Promise<boolean> => {
    const { channelId, userId, scope, conversationId } = turn.input;
    if (deps.roles.isConfigured(userId)) return true;
    if (scope === 'personal') return false;
    const cohort = await cohorts.forConversation(channelId, channelConversationId(conversationId));
    return Boolean(cohort && cohort.channelId === channelId && deps.roles.mayRun(cohort, userId));
  };
  const pressed = (turn: Turn) => Boolean(turn.input.action);
  const notice = (turn: Turn, key: string, options: Record<string, unknown> = {}): Reply[] => [turn.reply({ intent: 'notice', text: turn.t(key, options) })];
  /** A refusal is for the person who pressed; typed, it answers in the conversation. */
  const refusal = (turn: Turn): Reply[] => [
    pressed(turn) ? privateNote(turn, 'facilitation:polls.errors.notFacilitator') : turn.reply({ intent: 'notice', text: turn.t('facilitation:polls.errors.notFacilitator') }),
  ];
  const moduleOf = (turn: Turn, id: string | undefined) => (id ? deps.catalog.get(turn.lang).modules.find((m) => m.id === id) : undefined);
  const card = (turn: Turn, poll: PollDocument, live: boolean): Reply => ({
    ...pollCard(turn, poll, moduleOf(turn, poll.moduleId)),
    // A vote or close updates the card it was pressed on; typed, the card remembered under its key.
    ...(live ? { updatesPressedCard: true, replaces: pollCardKey(poll.id) } : {}),
  });

  const closingTime = (turn: Turn, closing: PollClosing): { at: Date; zone: string } | 'past' => {
    const zone = validTimeZone(turn.input.timezone ?? turn.learner.timezone);
    if (closing.kind === 'in') return { at: new Date(turn.now.getTime() + closing.minutes * 60_000), zone };
    const next = nextOccurrence(closing.time, zone, turn.now);
    // "closes 17:00" means today: once 17:00 has passed, it is in the past (not tomorrow).
    return localDate(next, zone) === localDate(turn.now, zone) ? { at: next, zone } : 'past';
  };

  registry.add({
    name: 'poll',
    aliasesKey: 'facilitation:commands.poll',
    helpKey: 'facilitation:help.poll',
    takesText: true,
    handler: async (turn) => {
      if (!(await isFacilitator(turn))) return refusal(turn);
      if (!turn.text.trim()) return notice(turn, 'facilitation:polls.errors.usage', { min: POLL_MIN_OPTIONS, max: POLL_MAX_OPTIONS });
      const parsed = parsePollCommand(turn.text, turn.t);
      if (!parsed.ok) return notice(turn, `facilitation:polls.errors.${parsed.problem}`, { min: POLL_MIN_OPTIONS, max: POLL_MAX_OPTIONS });
      const { spec } = parsed;
      const closing = spec.closes ? closingTime(turn, spec.closes) : undefined;
      if (closing === 'past') return notice(turn, 'facilitation:polls.errors.closingPast');
      const poll = await store.create({
        id: newPollId(turn.now),
        channelId: turn.input.channelId,
        conversationId: turn.input.conversationId,
        kind: 'custom',
        question: spec.question,
        options: spec.options.map((label, i) => ({ id: String(i + 1), label })),
        multiple: spec.multiple,
        anonymous: spec.anonymous,
        minVotes,
        lang: turn.lang,
        createdAt: turn.now.toISOString(),
        ...(closing ? { closesAt: closing.at.toISOString(), timeZone: closing.zone } : {}),
      });
      if (closing && deps.jobs) {
        const { channelId, conversationId } = turn.input;
        const payload: PollCloseJobPayload = { channelId, conversationId, pollId: poll.id, lang: turn.lang };
        await deps.jobs.schedule({ kind: POLL_CLOSE_JOB, group: pollCloseGroup(channelId, channelConversationId(conversationId)), payload, runAt: closing.at }, turn.now);
      }
      return [card(turn, poll, false)];
    },
  });

  /** The poll a vote is for; old discussion cards name only the module (their latest confidence poll, or a new one). */
  const pollOfVote = async (turn: Turn): Promise<PollDocument | undefined> => {
    const { channelId, conversationId } = turn.input;
    if (turn.args.poll) return store.get(channelId, conversationId, turn.args.poll);
    const module = moduleOf(turn, turn.args.module);
    if (!module) return undefined;
    const latest = (await store.ofConversation(channelId, conversationId)).find((p) => p.kind === 'confidence' && p.moduleId === module.id && !isClosed(p, turn.now));
    return latest ?? createConfidencePoll(turn, module);
  };

  const createConfidencePoll = (turn: Turn, module: CourseModule): Promise<PollDocument> =>
    store.create({
      id: newPollId(turn.now),
      channelId: turn.input.channelId,
      conversationId: turn.input.conversationId,
      kind: 'confidence',
      moduleId: module.id,
      question: '',
      options: CONFIDENCE_LEVELS.map((id) => ({ id, label: '' })),
      multiple: false,
      anonymous: true,
      minVotes,
      lang: turn.lang,
      createdAt: turn.now.toISOString(),
    });

  registry.add({
    name: 'poll.vote',
    handler: async (turn) => {
      const poll = await pollOfVote(turn);
      if (!poll) return notice(turn, 'facilitation:polls.errors.unknownPoll');
      // A pressed card that is not this poll's (an old discussion card) must stay as it is.
      const live = Boolean(turn.args.poll);
      if (isClosed(poll, turn.now)) return [card(turn, poll, live), privateNote(turn, 'facilitation:polls.closedNoVote')];
      const valid = new Set(poll.options.map((o) => o.id));
      const choice = [
        ...new Set(
          (turn.args.answer ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter((id) => valid.has(id)),
        ),
      ];
      if (!choice.length) return [privateNote(turn, 'facilitation:polls.pickOne')];
      if (!poll.multiple && choice.length > 1) return [privateNote(turn, 'facilitation:polls.onlyOne')];
      const outcome = await store.vote(
        poll.channelId,
        poll.conversationId,
        poll.id,
        learnerKey(turn.input.channelId, turn.input.userId),
        choice,
        turn.now,
        poll.anonymous ? undefined : (turn.input.userName ?? turn.learner.name),
      );
      if (!outcome) return notice(turn, 'facilitation:polls.errors.unknownPoll');
      if (!outcome.counted) return [card(turn, outcome.poll, live), privateNote(turn, 'facilitation:polls.closedNoVote')];
      const t = turn.t;
      const labels = choice.map((id) => (poll.kind === 'confidence' ? t(`facilitation:poll.levels.${id}`) : poll.options.find((o) => o.id === id)!.label));
      return [card(turn, outcome.poll, live), privateNote(turn, outcome.changed ? 'facilitation:polls.changed' : 'facilitation:polls.counted', { choice: labels.join(', ') })];
    },
  });

  registry.add({
    name: 'poll.close',
    aliasesKey: 'facilitation:commands.closePoll',
    helpKey: 'facilitation:help.closePoll',
    handler: async (turn) => {
      if (!(await isFacilitator(turn))) return refusal(turn);
      const { channelId, conversationId } = turn.input;
      const target = turn.args.poll ? await store.get(channelId, conversationId, turn.args.poll) : (await store.ofConversation(channelId, conversationId)).find((p) => !p.closedAt);
      if (!target) return notice(turn, 'facilitation:polls.errors.noOpenPoll');
      const closed = await store.close(channelId, conversationId, target.id, turn.now);
      if (!closed) return notice(turn, 'facilitation:polls.errors.unknownPoll');
      return [card(turn, closed, true), privateNote(turn, 'facilitation:polls.closedDone')];
    },
  });

  // "Show poll results" on discussion cards posted before polls had their own live card.
  registry.add({
    name: 'poll.results',
    handler: async (turn) => {
      const poll = await pollOfVote(turn);
      return poll ? [card(turn, poll, false)] : notice(turn, 'facilitation:polls.errors.unknownPoll');
    },
  });

  return {
    openConfidencePoll: async (turn, module) => card(turn, await createConfidencePoll(turn, module), false),
  };
}
