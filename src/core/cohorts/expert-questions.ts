import { randomBytes } from 'node:crypto';
import type { Language } from '../../config/config-schema';
import type { Translate } from '../../i18n/i18n';
import type { CohortChannelPort } from '../../ports/cohort-channels';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';
import type { CommandRegistry } from '../command-registry';
import { TEXT_INPUT_ARG, type Reply } from '../../intents/reply';
import type { Turn } from '../turn';
import { COHORT_PREFIX, type Cohort } from './cohort-model';
import { replyIn } from './cohort-replies';
import { literal } from '../markdown-literal';
import type { FacilitatorRoles } from './facilitator-roles';

/** A learner's question for a person, stored under `expert-question:<id>`. */
export interface ExpertQuestion {
  /** Short code the facilitator types to answer ("answer K7Q2 …"). */
  id: string;
  learnerKey: string;
  channelId: string;
  userId: string;
  learnerName?: string;
  lang: Language;
  text: string;
  /** The cohort whose facilitators answer; none when it went to the experts channel. */
  cohortId?: string;
  askedAt: string;
  status: 'open' | 'answered';
  answer?: string;
  answeredBy?: string;
  /** Shown on the answered card ("Answered by Fay Facilitator"). */
  answeredByName?: string;
  answeredAt?: string;
}

export interface ExpertDeps {
  storage: StoragePort;
  roles: FacilitatorRoles;
  channels: Record<string, CohortChannelPort>;
  /** "msteams:<conversation>" or "slack:<channel>" from EXPERTS_CHANNEL. */
  expertsChannel?: string;
  /** The course passages closest to a question, as short "Module › Lesson › Step" labels. */
  passages(question: string, lang: Language): Promise<string[]>;
}

const PREFIX = 'expert-question:';
const MAX_QUESTION = 500;
const MAX_ANSWER = 2000;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newCode(): string {
  return [...randomBytes(5)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/**
 * Ask an expert: a learner's question goes to their cohort's facilitators (or the configured
 * experts channel) with the course passages the bot found; the typed answer reaches the
 * learner in their personal chat. The learner is told plainly when nobody can answer.
 */
export function registerExpertQuestions(registry: CommandRegistry, deps: ExpertDeps): void {
  const notice = (turn: Turn, key: string, options: Record<string, unknown> = {}): Reply[] => [turn.reply({ intent: 'notice', text: turn.t(key, options) })];

  const cohortOfLearner = async (channelId: string, userId: string): Promise<Cohort | undefined> => {
    for (const key of await deps.storage.list(COHORT_PREFIX)) {
      const cohort = (await deps.storage.read<Cohort>(key))?.value;
      if (cohort?.channelId === channelId && cohort.members[userId]) return cohort;
    }
    return undefined;
  };

  registry.add({
    name: 'expert.ask',
    aliasesKey: 'cohorts:commands.askExpert',
    helpKey: 'cohorts:help.askExpert',
    takesText: true,
    handler: async (turn) => {
      const text = (turn.text.trim() || turn.args.question || '').slice(0, MAX_QUESTION);
      if (!text) return notice(turn, 'cohorts:expert.how');
      const { channelId, userId } = turn.input;
      const cohort = await cohortOfLearner(channelId, userId);
      const [expertChannelId, ...rest] = (deps.expertsChannel ?? '').split(':');
      const expertConversation = rest.join(':');
      if (!cohort && !expertConversation) return notice(turn, 'cohorts:expert.nobody');

      const learnerName = turn.learner.name ?? cohort?.members[userId]?.name;
      const question: ExpertQuestion = {
        id: newCode(),
        learnerKey: turn.learner.key,
        channelId,
        userId,
        ...(learnerName ? { learnerName } : {}),
        lang: turn.lang,
        text,
        ...(cohort ? { cohortId: cohort.id } : {}),
        askedAt: turn.now.toISOString(),
        status: 'open',
      };
      await deps.storage.write(`${PREFIX}${question.id}`, question, { ifMatch: CREATE_ONLY });
      const passages = await deps.passages(text, turn.lang).catch(() => []);

      let reached = 0;
      if (cohort) {
        const channel = deps.channels[cohort.channelId];
        for (const id of cohort.facilitators) {
          const lang = cohort.language;
          const result = channel
            ? await channel.sendPersonal({ userId: id, address: cohort.facilitatorAddresses[id] ?? {} }, [questionCard(question, passages, turn.inLanguage(lang).t, lang)])
            : undefined;
          if (result?.outcome === 'sent') reached++;
        }
      } else {
        const channel = deps.channels[expertChannelId];
        const result = channel ? await channel.sendToConversation(expertConversation, [questionCard(question, passages, turn.t, turn.lang)]) : undefined;
        if (result?.outcome === 'sent') reached++;
      }
      return notice(turn, reached ? 'cohorts:expert.sent' : 'cohorts:expert.unreachable', { id: question.id });
    },
  });

  registry.add({
    name: 'expert.answer',
    aliasesKey: 'cohorts:commands.answer',
    takesText: true,
    handler: async (turn) => {
      // Typed: "answer K7Q2 <text>"; from the card's box: the code in args.question, the text in args.text.
      const fromCard = turn.input.action !== undefined;
      const [typedCode = '', ...words] = turn.text.trim().split(/\s+/);
      const code = fromCard ? (turn.args.question ?? '') : typedCode;
      const answer = (fromCard ? (turn.args[TEXT_INPUT_ARG] ?? '') : words.join(' ')).trim().slice(0, MAX_ANSWER);
      // On the card, notes are for the person who pressed and leave the card (and what they typed) as it was.
      const say = (key: string, options: Record<string, unknown> = {}): Reply => turn.reply({ intent: 'notice', text: turn.t(key, options), ...(fromCard ? { ephemeral: true } : {}) });
      const stored = /^[A-Z0-9]{5}$/i.test(code) ? await deps.storage.read<ExpertQuestion>(`${PREFIX}${code.toUpperCase()}`) : undefined;
      if (!stored) return [say('cohorts:expert.unknownQuestion')];
      const question = stored.value;
      if (!(await mayAnswer(turn, question))) return [say('cohorts:errors.notFacilitator')];
      if (!answer) return [say(fromCard ? 'cohorts:expert.answerEmpty' : 'cohorts:expert.answerHow', { id: question.id })];
      // The pressed card now shows the answer, so nobody else answers it again.
      const answeredCard = (q: ExpertQuestion): Reply[] => (fromCard && q.answer ? [{ ...answeredQuestionCard(q, turn.t, turn.lang), updatesPressedCard: true }] : []);
      if (question.status === 'answered') return [...answeredCard(question), say('cohorts:expert.alreadyAnswered', { id: question.id })];
      const cohort = question.cohortId ? (await deps.storage.read<Cohort>(`${COHORT_PREFIX}${question.cohortId}`))?.value : undefined;
      // Slack turns carry no name: the cohort knows its facilitators'.
      const answeredByName = cohort?.facilitatorNames[turn.input.userId] ?? turn.learner.name;
      const answered: ExpertQuestion = { ...question, status: 'answered', answer, answeredBy: turn.learner.key, ...(answeredByName ? { answeredByName } : {}), answeredAt: turn.now.toISOString() };
      try {
        await deps.storage.write(`${PREFIX}${question.id}`, answered, { ifMatch: stored.etag });
      } catch (err) {
        if (err instanceof StorageConflictError) return [say('cohorts:expert.alreadyAnswered', { id: question.id })];
        throw err;
      }
      const channel = deps.channels[question.channelId];
      const t = turn.inLanguage(question.lang).t;
      const toLearner = replyIn(question.lang, {
        intent: 'answer',
        title: t('cohorts:expert.answerTitle'),
        text: [t('cohorts:expert.yourQuestion', { question: literal(question.text) }), answer].join('\n\n'),
        summary: t('cohorts:expert.answerTitle'),
      });
      const result = channel ? await channel.sendPersonal({ userId: question.userId, address: cohort?.members[question.userId]?.address ?? {} }, [toLearner]) : undefined;
      return [...answeredCard(answered), say(result?.outcome === 'sent' ? 'cohorts:expert.delivered' : 'cohorts:expert.notDelivered', { id: question.id })];
    },
  });

  registry.add({
    name: 'expert.questions',
    aliasesKey: 'cohorts:commands.questions',
    helpKey: 'cohorts:help.questions',
    handler: async (turn) => {
      const mine: ExpertQuestion[] = [];
      for (const key of await deps.storage.list(PREFIX)) {
        const question = (await deps.storage.read<ExpertQuestion>(key))?.value;
        if (question && (await mayAnswer(turn, question))) mine.push(question);
      }
      if (!mine.length) return deps.roles.isConfigured(turn.input.userId) || (await facilitatesAny(turn)) ? notice(turn, 'cohorts:expert.none') : notice(turn, 'cohorts:errors.notFacilitator');
      mine.sort((a, b) => (a.status === b.status ? b.askedAt.localeCompare(a.askedAt) : a.status === 'open' ? -1 : 1));
      const t = turn.t;
      return [
        turn.reply({
          intent: 'notice',
          title: t('cohorts:expert.listTitle'),
          text: t('cohorts:expert.listText'),
          items: mine.slice(0, 20).map((q) => ({ title: `${q.id} · ${t(`cohorts:expert.status.${q.status}`)}`, text: q.text.length > 200 ? `${q.text.slice(0, 199)}…` : q.text, badge: q.lang })),
        }),
      ];
    },
  });

  /** A cohort's facilitators answer its questions; configured facilitators also answer the experts channel's. */
  async function mayAnswer(turn: Turn, question: ExpertQuestion): Promise<boolean> {
    if (question.cohortId) {
      const cohort = (await deps.storage.read<Cohort>(`${COHORT_PREFIX}${question.cohortId}`))?.value;
      return Boolean(cohort && cohort.channelId === turn.input.channelId && deps.roles.mayRun(cohort, turn.input.userId));
    }
    return deps.roles.isConfigured(turn.input.userId);
  }

  async function facilitatesAny(turn: Turn): Promise<boolean> {
    for (const key of await deps.storage.list(COHORT_PREFIX)) {
      const cohort = (await deps.storage.read<Cohort>(key))?.value;
      if (cohort && cohort.channelId === turn.input.channelId && cohort.facilitators.includes(turn.input.userId)) return true;
    }
    return false;
  }
}

/** What the facilitator sees: the question, its language, the passages the bot found, and a box for the answer. */
export function questionCard(question: ExpertQuestion, passages: string[], t: Translate, lang: Language): Reply {
  const list = passages.length
    ? passages
        .slice(0, 5)
        .map((p) => `- ${p}`)
        .join('\n')
    : t('cohorts:expert.noPassages');
  return replyIn(lang, {
    ...questionHeader(question, t),
    text: [quoted(question), `**${t('cohorts:expert.passages')}**\n${list}`, t('cohorts:expert.howToAnswer', { id: question.id })].join('\n\n'),
    textInput: {
      label: t('cohorts:expert.answerLabel'),
      placeholder: t('cohorts:expert.answerPlaceholder'),
      maxLength: MAX_ANSWER,
      multiline: true,
      submit: { label: t('cohorts:expert.sendAnswer'), command: 'expert.answer', args: { question: question.id } },
    },
  });
}

/** The same card once answered: the question and the answer, and no box any more. */
export function answeredQuestionCard(question: ExpertQuestion, t: Translate, lang: Language): Reply {
  return replyIn(lang, {
    ...questionHeader(question, t),
    text: [
      quoted(question),
      `**${t('cohorts:expert.answeredBy', { name: question.answeredByName ? literal(question.answeredByName) : t('cohorts:expert.aFacilitator') })}**`,
      literal(question.answer ?? ''),
    ].join('\n\n'),
  });
}

function questionHeader(question: ExpertQuestion, t: Translate): Pick<Reply, 'intent' | 'title' | 'summary' | 'facts'> {
  const title = t('cohorts:expert.questionTitle', { name: question.learnerName ? literal(question.learnerName) : t('cohorts:expert.aLearner') });
  return {
    intent: 'notice',
    title,
    // The notification names the learner; the question itself is in the card.
    summary: title,
    facts: [
      { label: t('cohorts:expert.language'), value: t(`cohorts:languages.${question.lang}`) },
      { label: t('cohorts:expert.code'), value: question.id },
      { label: t('cohorts:expert.statusLabel'), value: t(`cohorts:expert.status.${question.status}`) },
    ],
  };
}

function quoted(question: ExpertQuestion): string {
  return `“${literal(question.text.replace(/\n+/g, ' '))}”`;
}
