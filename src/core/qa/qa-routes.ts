import { randomUUID } from 'node:crypto';
import type { Language } from '../../config/config-schema';
import type { QaExchange } from '../../ports/llm';
import type { CommandRegistry } from '../command-registry';
import type { Action, Reply, ReplyItem } from '../../intents/reply';
import type { Turn } from '../turn';
import { stepNavigationActions } from '../course/course-replies';
import type { ModelBudgetKeys, QaAnswer, QaNotice, QaProgress, QaService } from './answer-service';
import type { Citation } from './citations';
import type { Glossary, GlossaryEntry } from './glossary';
import { redactPersonalData } from './pii-redaction';
import type { QuestionGap, QuestionLog, QuestionOutcome } from './question-log';
import { detectQuestionLanguage } from './question-language';
import { recognizeSmallTalk } from './small-talk';
import { smallTalkReply } from './small-talk-reply';
import { literal } from '../markdown-literal';

export const QA_SLICE = 'qa';
/** Exchanges kept for condensing follow-ups; answers are shortened, questions redacted. */
const HISTORY_TURNS = 3;
const HISTORY_ANSWER_CHARS = 400;

interface QaState {
  history: QaExchange[];
  /** Recent answers, so a 👍/👎 press can be stored with its question. */
  recent?: { ref: string; question: string; lang: Language }[];
}

const RECENT_ANSWERS = 10;
/** The facilitators' gaps report covers this many days. */
const GAPS_DAYS = 30;
const GAPS_SHOWN = 15;

export interface QaRouteDeps {
  /** The service once the index is loaded (undefined while the app is still starting). */
  service(): QaService | undefined;
  /** The step the learner is on, for "explain more". */
  currentStepId(turn: Turn): string | undefined;
  /** Route that opens a lesson; called with args { lesson }. */
  openLessonCommand?: string;
  /** Declined questions and 👍/👎 are logged here (redacted, anonymous) for the gaps report. */
  questionLog?: QuestionLog;
  /** Who may read the gaps report (the facilitators). */
  isFacilitator?(turn: Turn): boolean;
  /** Logged when storing to the question log fails; the learner's turn goes on. */
  onLogError?(err: unknown): void;
}

/**
 * Q&A: free text that is no command is a question (also as a new user's very first message),
 * "ask <question>" asks explicitly, and "explain more" asks about the current step.
 */
export function registerQa(registry: CommandRegistry, deps: QaRouteDeps): void {
  const openLesson = deps.openLessonCommand ?? 'lesson.open';
  const ask = async (learnerTurn: Turn, typed: string): Promise<Reply[]> => {
    // "hi", "thanks", "who are you?" are answered as such, before (and without) the course index.
    const chat = recognizeSmallTalk(typed);
    if (chat && !chat.rest) return [smallTalkReply(learnerTurn, chat.kind, registry)];
    const question = chat?.rest ?? typed;
    const service = deps.service();
    if (!service) return [notice(learnerTurn, learnerTurn.t('qa:notReady'))];
    // A question clearly written in another course language is answered in that language.
    const asked = detectQuestionLanguage(question, learnerTurn.lang, (w, l) => service.knowsWord(w, l));
    const turn = asked && asked !== learnerTurn.lang ? learnerTurn.inLanguage(asked) : learnerTurn;
    const state = turn.slice<QaState>(QA_SLICE, () => ({ history: [] }));
    const answer = await service.ask({ question, lang: turn.lang, history: state.history, budget: budgetOf(turn), onProgress: progressOf(turn) });
    // A declined question is history too: "and in Spain?" after it continues the same topic.
    // Redacted once for both records (it is the slowest part of keeping them).
    const kept = answer.kind === 'answer' || answer.kind === 'not-covered' ? redactPersonalData(question) : '';
    // An extractive answer quotes passages that were screened when indexed; a model's answer may carry anything.
    const said = answer.kind !== 'answer' ? '' : answer.generator === 'llm' ? redactPersonalData(answer.text) : answer.text;
    if (answer.kind === 'answer' || answer.kind === 'not-covered') remember(state, kept, said);
    if (answer.kind === 'not-covered') await log(turn, question, 'declined');
    const ref = answer.kind === 'answer' ? rememberAnswer(state, kept, turn.lang) : undefined;
    const answered = answerReply(turn, answer, openLesson, ref);
    // A person can take over from any answer or "not covered" card (the cohorts feature's route).
    const expert =
      registry.get('expert.ask') && (answer.kind === 'answer' || answer.kind === 'not-covered')
        ? [{ label: turn.t('cohorts:expert.button'), command: 'expert.ask', args: { question: question.slice(0, 500) } }]
        : [];
    const reply = withFirstWelcome(turn, expert.length ? { ...answered, actions: [...(answered.actions ?? []), ...expert] } : answered);
    if (turn === learnerTurn) return [reply];
    // Offer to keep that language for everything else (lessons, quizzes, buttons).
    const keep: Action = { label: turn.t('qa:actions.keepLanguage', { language: turn.t(`common:language.names.${turn.lang}`) }), command: 'language', args: { lang: turn.lang } };
    return [{ ...reply, actions: [...(reply.actions ?? []), keep] }];
  };

  const log = async (turn: Turn, question: string, outcome: QuestionOutcome) => {
    try {
      await deps.questionLog?.record({ at: turn.now.toISOString(), lang: turn.lang, question, outcome });
    } catch (err) {
      deps.onLogError?.(err);
    }
  };

  registry.fallback((turn) => ask(turn, turn.text));
  registry.add({
    name: 'qa.feedback',
    handler: async (turn) => {
      const state = turn.slice<QaState>(QA_SLICE, () => ({ history: [] }));
      const asked = state.recent?.find((r) => r.ref === turn.args.ref);
      const back = backToCourse(turn);
      if (!asked) return [turn.reply({ intent: 'notice', text: turn.t('qa:feedback.expired'), actions: [back] })];
      const helpful = turn.args.verdict === 'up';
      await log(turn.inLanguage(asked.lang), asked.question, helpful ? 'helpful' : 'unhelpful');
      state.recent = state.recent!.filter((r) => r !== asked);
      return [turn.reply({ intent: 'notice', text: turn.t(helpful ? 'qa:feedback.thanksUp' : 'qa:feedback.thanksDown'), actions: [back] })];
    },
  });
  registry.add({
    name: 'define',
    aliasesKey: 'qa:commands.define',
    helpKey: 'qa:help.define',
    takesText: true,
    handler: (turn) => {
      const glossary = deps.service()?.glossary;
      if (!glossary) return [notice(turn, turn.t('qa:notReady'))];
      const typed = (turn.text || turn.args.term || '').trim();
      // "what does X mean?" for a term the glossary lacks is still a question the course may answer.
      if (typed && !glossary.find(typed).id && !turn.args.term) return ask(turn, turn.input.text ?? typed);
      return [glossaryReply(turn, glossary, typed, openLesson, (id, lang) => deps.service()!.lessonOf(id, lang))];
    },
  });
  registry.add({
    name: 'qa.gaps',
    aliasesKey: 'qa:commands.gaps',
    helpKey: 'qa:help.gaps',
    handler: async (turn) => {
      if (!deps.questionLog || !deps.isFacilitator?.(turn)) return [notice(turn, turn.t('qa:gaps.notAllowed'))];
      const to = turn.now;
      const from = new Date(to.getTime() - GAPS_DAYS * 86400000);
      return [gapsReply(turn, await deps.questionLog.gaps(from, to), from, to)];
    },
  });
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
      const explained = answerReply(turn, await service.explain(stepId, turn.lang, budgetOf(turn)), openLesson);
      // Not a dead end: on to the next step or back to this one; the step card itself stays.
      return [{ ...explained, aside: true, actions: [...(explained.actions ?? []), ...stepNavigationActions(turn, turn.args.at)] }];
    },
  });
}

/** `question` and `answer` are already redacted. */
function remember(state: QaState, question: string, answer: string): void {
  state.history = [...state.history, { question, answer: answer.slice(0, HISTORY_ANSWER_CHARS) }].slice(-HISTORY_TURNS);
}

/** "Was this helpful?" refers to the answer by a short id kept in the learner's recent answers (`question` already redacted). */
function rememberAnswer(state: QaState, question: string, lang: Language): string {
  const ref = randomUUID().slice(0, 8);
  state.recent = [...(state.recent ?? []), { ref, question, lang }].slice(-RECENT_ANSWERS);
  return ref;
}

/** Every answer card leads back to the course: the journey's start/resume route. */
function backToCourse(turn: Turn): Action {
  return { label: turn.t('common:actions.start'), command: 'start' };
}

export function answerReply(turn: Turn, answer: QaAnswer, openLesson: string, feedbackRef?: string): Reply {
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
        items: citationItems(turn, answer.closest, openLesson, false),
        actions: [backToCourse(turn)],
        summary: t('qa:notCovered.title'),
      });
    case 'answer':
      return turn.reply({
        intent: 'answer',
        title: t('qa:answer.title'),
        text: [...noticeLines(turn, answer.notices, answer.contentLang), answer.text, ...(feedbackRef ? [`_${t('qa:feedback.question')}_`] : [])].join('\n\n'),
        items: citationItems(turn, answer.citations, openLesson, true),
        actions: [
          backToCourse(turn),
          ...(feedbackRef
            ? [
                { label: t('qa:feedback.yes'), command: 'qa.feedback', args: { verdict: 'up', ref: feedbackRef } },
                { label: t('qa:feedback.no'), command: 'qa.feedback', args: { verdict: 'down', ref: feedbackRef } },
              ]
            : []),
        ],
        summary: answer.text.slice(0, 300),
      });
  }
}

function noticeLines(turn: Turn, notices: QaNotice[], contentLang: Language): string[] {
  const t = turn.t;
  return notices.map((n) => {
    if (n === 'language-fallback') return `_${t('qa:notice.languageFallback', { language: t(`common:language.names.${turn.lang}`), contentLanguage: t(`common:language.names.${contentLang}`) })}_`;
    if (n === 'llm-fallback') return `_${t('qa:notice.llmFallback')}_`;
    if (n === 'llm-limited') return `_${t('qa:notice.llmLimited')}_`;
    return `_${t('qa:notice.citationsDropped')}_`;
  });
}

/**
 * "Module 1 › When public algorithms went wrong, step 3": where the passage is in the course.
 * A quiz explanation is cited as its lesson, never by its quiz prompt; a reference document by its title.
 */
export function citationWhere(turn: Turn, c: Pick<Citation, 'moduleId' | 'moduleTitle' | 'lessonTitle' | 'stepId' | 'title' | 'kind'>): string {
  const t = turn.t;
  const n = /^m(\d+)$/.exec(c.moduleId ?? '')?.[1];
  const module = n ? t('qa:citation.module', { n }) : c.moduleTitle;
  const step = /-s(\d+)$/.exec(c.stepId ?? '')?.[1];
  if (!module) return c.kind === 'quiz' ? t('qa:answer.title') : c.title;
  if (!c.lessonTitle) return `${module} › ${c.moduleTitle ?? ''}`.trim();
  return c.kind === 'step' && step ? t('qa:citation.step', { module, lesson: c.lessonTitle, step }) : t('qa:citation.lesson', { module, lesson: c.lessonTitle });
}

/**
 * One button per lesson, named by the lesson's number ("Open lesson 2.3") so that no two buttons of
 * the card read alike; a second source in the same lesson shares the first one's button.
 */
function citationItems(turn: Turn, citations: Citation[], openLesson: string, numbered: boolean): ReplyItem[] {
  const offered = new Set<string>();
  return citations.map((c) => {
    const where = citationWhere(turn, c);
    const lesson = c.lessonId && !offered.has(c.lessonId) ? c.lessonId : undefined;
    if (lesson) offered.add(lesson);
    return {
      title: numbered ? `[${c.n}] ${where}` : where,
      text: c.kind === 'step' && c.title !== c.lessonTitle ? c.title : undefined,
      action: lesson ? openLessonAction(turn, openLesson, lesson) : undefined,
    };
  });
}

function openLessonAction(turn: Turn, openLesson: string, lesson: string): Action {
  const number = /^m(\d+)-l(\d+)$/.exec(lesson);
  const label = number ? turn.t('qa:actions.openLessonNumber', { number: `${number[1]}.${number[2]}` }) : turn.t('qa:actions.openLesson');
  return { label, command: openLesson, args: { lesson } };
}

/** The glossary card: definition, other names, the term in the other course languages, and the lessons that teach it. */
function glossaryReply(turn: Turn, glossary: Glossary, typed: string, openLesson: string, lessonOf: QaService['lessonOf']): Reply {
  const t = turn.t;
  if (!typed) return notice(turn, t('qa:glossary.askHow'));
  const found = glossary.find(typed);
  const entry = found.id ? glossary.entry(found.id, turn.lang) : undefined;
  if (!entry) {
    const suggestions = found.suggestions.map((id) => glossary.entry(id, turn.lang)).filter((e): e is GlossaryEntry => Boolean(e));
    return turn.reply({
      intent: 'notice',
      text: [t('qa:glossary.notFound', { term: typed }), suggestions.length ? t('qa:glossary.closest') : ''].filter(Boolean).join('\n\n'),
      actions: suggestions.map((e) => ({ label: e.term, command: 'define', args: { term: e.term } })),
    });
  }
  const facts = [
    ...(entry.synonyms.length ? [{ label: t('qa:glossary.synonyms'), value: entry.synonyms.join(', ') }] : []),
    {
      label: t('qa:glossary.otherLanguages'),
      value: glossary
        .equivalents(entry.id, entry.lang)
        .map((e) => `${t(`common:language.names.${e.lang}`)}: ${e.term}`)
        .join(' · '),
    },
  ];
  return turn.reply({
    intent: 'glossary',
    title: t('qa:glossary.title', { term: entry.term }),
    text: entry.definition,
    facts,
    items: entry.lessons.map((lesson) => {
      const where = lessonOf(lesson, turn.lang);
      return { title: where ? citationWhere(turn, { ...where, kind: 'quiz', title: where.lessonTitle ?? lesson }) : lesson, action: openLessonAction(turn, openLesson, lesson) };
    }),
    actions: [backToCourse(turn)],
    summary: `${entry.term}: ${entry.definition}`,
  });
}

function gapsReply(turn: Turn, gaps: QuestionGap[], from: Date, to: Date): Reply {
  const t = turn.t;
  const dates = { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
  if (!gaps.length) return turn.reply({ intent: 'notice', title: t('qa:gaps.title'), text: t('qa:gaps.none', dates) });
  return turn.reply({
    intent: 'notice',
    title: t('qa:gaps.title'),
    text: t('qa:gaps.intro', { ...dates, count: gaps.reduce((n, g) => n + g.count, 0) }),
    items: gaps.slice(0, GAPS_SHOWN).map((g) => ({
      title: literal(g.question),
      badge: t('qa:gaps.times', { count: g.count }),
      text: g.outcomes.map((o) => t(o === 'declined' ? 'qa:gaps.declined' : 'qa:gaps.unhelpful')).join(', '),
    })),
  });
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

/** The channel's progress sink (Teams streaming), fed in the answer's language; none when the channel has none. */
function progressOf(turn: Turn): ((progress: QaProgress) => void) | undefined {
  const report = turn.input.onProgress;
  if (!report) return undefined;
  return (p) => report(p.stage === 'searching' ? { kind: 'status', text: turn.t('qa:stream.searching') } : { kind: 'partial', text: p.text, dir: turn.dir });
}

/** Model answers count against the learner and their organisation. */
function budgetOf(turn: Turn): ModelBudgetKeys {
  return { learner: turn.learner.key, tenant: turn.input.tenantId && `${turn.input.channelId}:${turn.input.tenantId}` };
}
