import type { Language } from '../../config/config-schema';
import type { QaExchange } from '../../ports/llm';
import type { CommandRegistry } from '../command-registry';
import type { Action, Reply, ReplyItem } from '../reply';
import type { Turn } from '../turn';
import type { QaAnswer, QaNotice, QaService } from './answer-service';
import type { Citation } from './citations';
import { redactPersonalData } from './pii-redaction';
import { detectQuestionLanguage } from './question-language';

export const QA_SLICE = 'qa';
/** Exchanges kept for condensing follow-ups; answers are shortened, questions redacted. */
const HISTORY_TURNS = 3;
const HISTORY_ANSWER_CHARS = 400;

interface QaState {
  history: QaExchange[];
}

export interface QaRouteDeps {
  /** The service once the index is loaded (undefined while the app is still starting). */
  service(): QaService | undefined;
  /** The step the learner is on, for "explain more". */
  currentStepId(turn: Turn): string | undefined;
  /** Route that opens a lesson; called with args { lesson }. */
  openLessonCommand?: string;
}

/**
 * Q&A: free text that is no command is a question (also as a new user's very first message),
 * "ask <question>" asks explicitly, and "explain more" asks about the current step.
 */
export function registerQa(registry: CommandRegistry, deps: QaRouteDeps): void {
  const openLesson = deps.openLessonCommand ?? 'lesson.open';
  const ask = async (learnerTurn: Turn, question: string): Promise<Reply[]> => {
    const service = deps.service();
    if (!service) return [notice(learnerTurn, learnerTurn.t('qa:notReady'))];
    // A question clearly written in another course language is answered in that language.
    const asked = detectQuestionLanguage(question);
    const turn = asked && asked !== learnerTurn.lang ? learnerTurn.inLanguage(asked) : learnerTurn;
    const state = turn.slice<QaState>(QA_SLICE, () => ({ history: [] }));
    const answer = await service.ask({ question, lang: turn.lang, history: state.history });
    if (answer.kind === 'answer') remember(state, question, answer.text);
    const reply = withFirstWelcome(turn, answerReply(turn, answer, openLesson));
    if (turn === learnerTurn) return [reply];
    // Offer to keep that language for everything else (lessons, quizzes, buttons).
    const keep: Action = { label: turn.t('qa:actions.keepLanguage', { language: turn.t(`common:language.names.${turn.lang}`) }), command: 'language', args: { lang: turn.lang } };
    return [{ ...reply, actions: [...(reply.actions ?? []), keep] }];
  };

  registry.fallback((turn) => ask(turn, turn.text));
  registry.add({
    name: 'ask',
    aliasesKey: 'qa:commands.ask',
    helpKey: 'qa:help.ask',
    takesText: true,
    handler: (turn) => (turn.text.trim() || turn.args.question ? ask(turn, turn.text.trim() || turn.args.question) : [notice(turn, turn.t('qa:askHow'))]),
  });
  registry.add({
    name: 'explain',
    aliasesKey: 'qa:commands.explain',
    helpKey: 'qa:help.explain',
    takesText: true,
    handler: async (turn) => {
      if (turn.text.trim()) return ask(turn, turn.text.trim());
      const service = deps.service();
      if (!service) return [notice(turn, turn.t('qa:notReady'))];
      const stepId = turn.args.step ?? deps.currentStepId(turn);
      if (!stepId) return [notice(turn, turn.t('qa:explainNoStep'))];
      return [answerReply(turn, await service.explain(stepId, turn.lang), openLesson)];
    },
  });
}

function remember(state: QaState, question: string, answer: string): void {
  state.history = [...state.history, { question: redactPersonalData(question), answer: redactPersonalData(answer).slice(0, HISTORY_ANSWER_CHARS) }].slice(-HISTORY_TURNS);
}

export function answerReply(turn: Turn, answer: QaAnswer, openLesson: string): Reply {
  const t = turn.t;
  switch (answer.kind) {
    case 'empty':
      return notice(turn, t('qa:askHow'));
    case 'too-long':
      return notice(turn, t('qa:tooLong', { limit: answer.limit }));
    case 'unknown-step':
      return notice(turn, t('qa:explainNoStep'));
    case 'not-covered':
      return turn.reply({
        intent: 'not-covered',
        title: t('qa:notCovered.title'),
        text: [...noticeLines(turn, answer.notices, answer.contentLang), answer.closest.length ? t('qa:notCovered.withLessons') : t('qa:notCovered.text')].join('\n\n'),
        items: answer.closest.map((c) => citationItem(turn, c, openLesson, false)),
        summary: t('qa:notCovered.title'),
      });
    case 'answer':
      return turn.reply({
        intent: 'answer',
        title: t('qa:answer.title'),
        text: [...noticeLines(turn, answer.notices, answer.contentLang), answer.text].join('\n\n'),
        items: answer.citations.map((c) => citationItem(turn, c, openLesson, true)),
        summary: answer.text.slice(0, 300),
      });
  }
}

function noticeLines(turn: Turn, notices: QaNotice[], contentLang: Language): string[] {
  const t = turn.t;
  return notices.map((n) => {
    if (n === 'language-fallback') return `_${t('qa:notice.languageFallback', { language: t(`common:language.names.${turn.lang}`), contentLanguage: t(`common:language.names.${contentLang}`) })}_`;
    if (n === 'llm-fallback') return `_${t('qa:notice.llmFallback')}_`;
    return `_${t('qa:notice.citationsDropped')}_`;
  });
}

function citationItem(turn: Turn, c: Citation, openLesson: string, numbered: boolean): ReplyItem {
  const where = [c.moduleTitle, c.lessonTitle].filter(Boolean).join(' › ') || c.title;
  const action: Action | undefined = c.lessonId ? { label: turn.t('qa:actions.openLesson'), command: openLesson, args: { lesson: c.lessonId } } : undefined;
  return { title: numbered ? `[${c.n}] ${where}` : where, text: c.lessonTitle && c.title !== c.lessonTitle ? c.title : undefined, action };
}

function notice(turn: Turn, text: string): Reply {
  return turn.reply({ intent: 'notice', text });
}

/** A brand-new learner whose first message is a question gets the answer with a one-line welcome. */
function withFirstWelcome(turn: Turn, reply: Reply): Reply {
  const isNew = turn.learner.createdAt === turn.now.toISOString() && turn.learner.recentActivityIds.length === 0;
  if (!isNew) return reply;
  return { ...reply, text: `${turn.t('qa:firstWelcome')}\n\n${reply.text ?? ''}`.trim() };
}
