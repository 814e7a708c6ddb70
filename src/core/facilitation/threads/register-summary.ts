import type { Language } from '../../../config/config-schema';
import type { LlmPort } from '../../../ports/llm';
import type { StoragePort } from '../../../ports/storage';
import type { TextSimilarityPort } from '../../../ports/text-similarity';
import { channelConversationId } from '../../cohorts/cohort-model';
import { CohortStore } from '../../cohorts/cohort-store';
import type { FacilitatorRoles } from '../../cohorts/facilitator-roles';
import type { CommandRegistry } from '../../command-registry';
import type { CourseCatalog } from '../../course/content-model';
import { literal } from '../../markdown-literal';
import type { Citation } from '../../qa/citations';
import type { Reply, ReplyItem } from '../../../intents/reply';
import type { Turn } from '../../turn';
import { extractiveThemes, groupQuestions, modelThemes, redactedReplies, SUMMARY_MIN_PEOPLE, type ThemesDraft } from './discussion-summary';
import type { DiscussionThreads } from './discussion-threads';
import type { DiscussionThread } from './thread-store';

export interface SummaryDeps {
  threads: DiscussionThreads;
  storage: StoragePort;
  catalog: CourseCatalog;
  roles: FacilitatorRoles;
  similarity: TextSimilarityPort;
  /** The lessons that answer a question (the Q&A service's citations), or none when the course does not. */
  answer: (question: string, lang: Language) => Promise<Citation[]>;
  /** The configured model and its time budget; unset: extractive summaries only. */
  model: () => { llm: LlmPort; budgetMs: number } | undefined;
  /** Where a rejected or failed model summary is noted before the extractive one is used. */
  onModelFailure?: (err: unknown) => void;
}

/**
 * `summary` in a discussion thread (or `summary N` for module N's latest discussion here): the
 * facilitator gets, in their personal chat, how many people replied, the main themes with how
 * many replies share each, short anonymous quotes with personal data redacted, the questions
 * the group raised that the course answers (with lesson links) and those it does not, and a
 * follow-up prompt. Never names; fewer than three people and it says so instead.
 */
export function registerDiscussionSummary(registry: CommandRegistry, deps: SummaryDeps): void {
  const cohorts = new CohortStore(deps.storage);
  const notice = (turn: Turn, key: string, options: Record<string, unknown> = {}): Reply[] => [turn.reply({ intent: 'notice', text: turn.t(key, options) })];
  const isFacilitator = async (turn: Turn): Promise<boolean> => {
    const { channelId, userId, conversationId } = turn.input;
    if (deps.roles.isConfigured(userId)) return true;
    const cohort = await cohorts.forConversation(channelId, channelConversationId(conversationId));
    return Boolean(cohort && cohort.channelId === channelId && deps.roles.mayRun(cohort, userId));
  };

  const threadFor = async (turn: Turn): Promise<DiscussionThread | 'unknown-module' | undefined> => {
    const { channelId, conversationId, threadId } = turn.input;
    const ref = (turn.args.module ?? turn.text)
      .trim()
      .toLowerCase()
      .replace(/^(module|módulo|modulo|وحدة)\s*/u, '')
      .replace(/^m(?=\d)/, '');
    const all = await deps.threads.store.ofConversation(channelId, conversationId);
    if (ref) {
      const module = deps.catalog.get(turn.lang).modules.find((m) => m.id === ref || String(m.order) === ref);
      if (!module) return 'unknown-module';
      return all.find((t) => t.moduleId === module.id);
    }
    const here = threadId ? await deps.threads.threadOf({ channelId, conversationId, rootId: threadId }) : undefined;
    return here ?? all[0];
  };

  const themesOf = async (texts: string[], lang: Language): Promise<ThemesDraft> => {
    const model = deps.model();
    if (model) {
      const signal = AbortSignal.timeout(model.budgetMs);
      try {
        return await modelThemes(model.llm, texts, lang, signal);
      } catch (err) {
        deps.onModelFailure?.(err);
      }
    }
    return extractiveThemes(texts, deps.similarity);
  };

  registry.add({
    name: 'summary',
    aliasesKey: 'facilitation:commands.summary',
    helpKey: 'facilitation:help.summary',
    takesText: true,
    handler: async (turn) => {
      if (turn.input.scope === 'personal') return notice(turn, 'facilitation:summary.errors.personal');
      if (!(await isFacilitator(turn))) return notice(turn, 'facilitation:summary.errors.notFacilitator');
      const thread = await threadFor(turn);
      if (thread === 'unknown-module') return notice(turn, 'facilitation:unknownModule', { count: deps.catalog.get(turn.lang).modules.length });
      if (!thread) return notice(turn, 'facilitation:summary.errors.noDiscussion');
      const module = deps.catalog.get(turn.lang).modules.find((m) => m.id === thread.moduleId);
      const title = turn.t('facilitation:summary.title', { order: module?.order ?? '?', title: module?.title ?? thread.moduleId });
      const replies = await deps.threads.store.replies(thread.id);
      const people = new Set(replies.map((r) => r.authorKey)).size;
      if (people < SUMMARY_MIN_PEOPLE) {
        return [turn.reply({ intent: 'notice', title, text: turn.t('facilitation:summary.tooFew', { count: people, min: SUMMARY_MIN_PEOPLE }), personal: true })];
      }
      const texts = redactedReplies(replies.map((r) => r.text));
      const draft = await themesOf(texts, turn.lang);
      const questions = groupQuestions(texts);
      const answered: { question: string; citations: Citation[] }[] = [];
      const open: string[] = [];
      for (const question of questions) {
        const citations = await deps.answer(question, turn.lang).catch(() => []);
        if (citations.length) answered.push({ question, citations });
        else open.push(question);
      }
      const followUp =
        draft.followUp ?? (open.length ? turn.t('facilitation:summary.followUp.open', { question: open[0] }) : turn.t('facilitation:summary.followUp.theme', { theme: draft.themes[0]?.name ?? '' }));
      await deps.threads.store.saveSummary(thread.id, { at: turn.now.toISOString(), people, replies: replies.length, themes: draft.themes.map((t) => ({ name: t.name, count: t.count })) });

      const items: ReplyItem[] = [
        { title: turn.t('facilitation:summary.themesTitle') },
        ...draft.themes.map((theme) => ({
          title: literal(theme.name),
          badge: turn.t('facilitation:summary.replyCount', { count: theme.count }),
          text: theme.quotes.map((q) => `> ${literal(q)}`).join('\n\n'),
        })),
      ];
      if (answered.length) {
        items.push({ title: turn.t('facilitation:summary.answeredTitle') });
        for (const { question, citations } of answered) {
          const lesson = citations.find((c) => c.lessonId);
          items.push({
            title: literal(question),
            text: turn.t('facilitation:summary.answeredIn', { where: [citations[0].moduleTitle, citations[0].lessonTitle].filter(Boolean).join(' › ') || citations[0].title }),
            ...(lesson?.lessonId ? { action: { label: turn.t('facilitation:summary.openLesson'), command: 'lesson.open', args: { lesson: lesson.lessonId } } } : {}),
          });
        }
      }
      if (open.length) {
        items.push({ title: turn.t('facilitation:summary.openTitle') });
        for (const question of open) items.push({ title: literal(question), text: turn.t('facilitation:summary.notInCourse') });
      }
      items.push({ title: turn.t('facilitation:summary.followUpTitle'), text: literal(followUp) });
      return [
        turn.reply({
          intent: 'reflection',
          title,
          text: [turn.t('facilitation:summary.intro', { people, count: replies.length }), turn.t(draft.generator === 'llm' ? 'facilitation:summary.byModel' : 'facilitation:summary.extractive')].join(
            '\n\n',
          ),
          facts: [
            { label: turn.t('facilitation:summary.people'), value: String(people) },
            { label: turn.t('facilitation:summary.replies'), value: String(replies.length) },
          ],
          items,
          personal: true,
        }),
      ];
    },
  });
}
