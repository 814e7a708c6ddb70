import { randomUUID } from 'node:crypto';
import type { Language } from '../config/config-schema';
import { directionOf, toSupportedLanguage, type Localizer } from '../i18n/i18n';
import { currentCorrelationId } from '../logging/correlation';
import type { Logger } from '../logging/logger';
import { NO_METRICS, type MetricsPort } from '../ports/metrics';
import { firstRefusal, type RateLimitPort } from '../ports/rate-limits';
import { StorageConflictError, CREATE_ONLY, type StoragePort } from '../ports/storage';
import { type CommandRegistry, numberedChoices, type Route } from './command-registry';
import { KeyedSerializer } from './keyed-serializer';
import { measureTurn } from './turn-metrics';
import { westernDigits } from './text-normalize';
import { learnerKey, newLearnerRecord, RECENT_ACTIVITY_LIMIT, type LearnerRecord } from './learner';
import type { Action, Reply } from '../intents/reply';
import type { RouteHandler, Turn, TurnInput, TurnResult } from './turn';

export interface CoachOptions {
  storage: StoragePort;
  localizer: Localizer;
  registry: CommandRegistry;
  logger: Logger;
  defaultLanguage: Language;
  metrics?: MetricsPort;
  /** Called after a learner record was saved (e.g. to queue xAPI statements from the change); its failure never fails the turn. */
  onSaved?: (change: { before?: LearnerRecord; after: LearnerRecord; input: TurnInput; now: Date }) => Promise<void>;
  /**
   * Called just before a learner record is saved; may add to `after`, which is then written in
   * the same conditional write (e.g. xAPI statements that must not be lost in a crash after the
   * save). Its failure fails the attempt, so nothing is saved.
   */
  beforeSave?: (change: { before?: LearnerRecord; after: LearnerRecord; input: TurnInput; now: Date }) => Promise<void>;
  /** Longest typed message taken as a command or question (MAX_MESSAGE_CHARS); longer ones are told so. */
  maxTextChars?: number;
  /** Turns a minute per learner and per tenant; a refused turn changes nothing and says when to try again. */
  limits?: RateLimitPort;
}

const DEFAULT_MAX_TEXT_CHARS = 4000;

/** Conflicts come from other instances writing the same learner; retry with jittered backoff. */
const MAX_ATTEMPTS = 6;

/**
 * The channel-neutral orchestrator: loads the learner, routes the turn, saves the learner
 * atomically (optimistic concurrency, retried on conflict) and returns replies. A failing
 * handler never loses progress: nothing is saved and the learner gets a localized error.
 */
export class Coach {
  private readonly serializer = new KeyedSerializer();

  constructor(private readonly options: CoachOptions) {}

  get registry(): CommandRegistry {
    return this.options.registry;
  }

  handle(input: TurnInput): Promise<TurnResult> {
    return measureTurn(
      this.options.metrics ?? NO_METRICS,
      input,
      async () =>
        (await this.refusedByLimits(input)) ??
        this.serializer.run(learnerKey(input.channelId, input.userId), async () => {
          for (let attempt = 1; ; attempt++) {
            try {
              return await this.attempt(input);
            } catch (err) {
              if (err instanceof StorageConflictError && attempt < MAX_ATTEMPTS) {
                await delay(Math.random() * 20 * attempt);
                continue;
              }
              return this.failure(input, err);
            }
          }
        }),
    );
  }

  /** Reads a learner without changing it (for App Home views, reminders, facilitators). */
  async readLearner(channelId: string, userId: string): Promise<LearnerRecord | undefined> {
    return (await this.options.storage.read<LearnerRecord>(learnerKey(channelId, userId)))?.value;
  }

  /** The language a turn would be answered in. */
  languageFor(learner: LearnerRecord | undefined, locale?: string): Language {
    return learner?.language ?? toSupportedLanguage(locale) ?? this.options.defaultLanguage;
  }

  /**
   * Runs a route on a copy of the learner and saves nothing: for read-only views such as
   * Slack's App Home, which must change neither progress nor the learner's numbered choices.
   */
  async preview(input: TurnInput): Promise<TurnResult> {
    try {
      const now = input.now ?? new Date();
      const stored = await this.readLearner(input.channelId, input.userId);
      const learner = stored ? structuredClone(stored) : newLearnerRecord(input.channelId, input.userId, now);
      const turn = this.createTurn(input, learner, now);
      return { replies: await this.dispatch(turn), duplicate: false, lang: turn.lang };
    } catch (err) {
      return this.failure(input, err);
    }
  }

  private async attempt(input: TurnInput): Promise<TurnResult> {
    const { storage } = this.options;
    const now = input.now ?? new Date();
    const key = learnerKey(input.channelId, input.userId);
    const stored = await storage.read<LearnerRecord>(key);
    const learner = stored?.value ?? newLearnerRecord(input.channelId, input.userId, now);
    if (input.activityId && learner.recentActivityIds.includes(input.activityId)) {
      this.options.logger.info({ activityId: input.activityId, channelId: input.channelId }, 'duplicate activity ignored');
      return { replies: [], duplicate: true, lang: this.languageFor(learner, input.locale) };
    }
    const before = (this.options.onSaved || this.options.beforeSave) && stored ? structuredClone(stored.value) : undefined;
    if (input.userName) learner.name = input.userName;
    if (input.timezone) learner.timezone = input.timezone;

    const turn = this.createTurn(input, learner, now);
    const replies = await this.dispatch(turn);
    if (turn.forgotten) {
      await storage.delete(key);
      return { replies, duplicate: false, lang: turn.lang };
    }

    learner.pendingActions = pendingActionsOf(replies, learner.pendingActions);
    if (input.activityId) learner.recentActivityIds = [...learner.recentActivityIds, input.activityId].slice(-RECENT_ACTIVITY_LIMIT);
    learner.updatedAt = now.toISOString();
    await this.options.beforeSave?.({ before, after: learner, input, now });
    await storage.write(key, learner, { ifMatch: stored?.etag ?? CREATE_ONLY });
    await this.options.onSaved?.({ before, after: learner, input, now }).catch((err) => this.options.logger.warn({ err }, 'after-save hook failed'));
    return { replies, duplicate: false, lang: turn.lang };
  }

  private createTurn(
    input: TurnInput,
    learner: LearnerRecord,
    now: Date,
    fixedLang?: Language,
    root?: { forgotten: boolean },
  ): Turn & { args: Record<string, string>; text: string; forgotten: boolean } {
    const { localizer } = this.options;
    let lang = fixedLang ?? this.languageFor(learner, input.locale);
    const turn = {
      forgotten: false,
      forget() {
        (root ?? turn).forgotten = true;
      },
      input,
      learner,
      now,
      args: { ...(input.action?.args ?? {}) },
      text: input.text?.trim() ?? '',
      get lang() {
        return lang;
      },
      get dir() {
        return directionOf(lang);
      },
      get t() {
        return localizer.forLanguage(lang);
      },
      reply(partial: Omit<Reply, 'lang' | 'dir' | 'summary'> & { summary?: string }): Reply {
        const summary = partial.summary ?? [partial.title, partial.text].filter(Boolean).join(': ').slice(0, 300);
        return { ...partial, lang, dir: directionOf(lang), summary: summary || partial.intent };
      },
      slice<T extends object>(name: string, init: () => T): T {
        if (!learner.data[name]) learner.data[name] = init();
        return learner.data[name] as T;
      },
      setLanguage(next: Language) {
        lang = next;
        learner.language = next;
      },
      inLanguage: (other: Language): Turn => {
        const view = this.createTurn(input, learner, now, other, root ?? turn);
        Object.assign(view.args, turn.args);
        view.text = turn.text;
        return view;
      },
    };
    return turn;
  }

  private async dispatch(turn: Turn & { args: Record<string, string>; text: string }): Promise<Reply[]> {
    const replies = await this.route(turn);
    return turn.input.event ? replies : withNextStep(replies, nextSteps(turn.t, turn.input.scope, this.options.registry));
  }

  private async route(turn: Turn & { args: Record<string, string>; text: string }): Promise<Reply[]> {
    const { registry } = this.options;
    const { input } = turn;
    if (input.event) {
      const handler = registry.event(input.event);
      return handler ? handler(turn) : [];
    }
    if (input.action) {
      const route = registry.get(input.action.command);
      if (!route) return this.unknownCommand(turn, input.action.command);
      return route.handler(turn);
    }
    const text = turn.text;
    if (!text) return this.unknownCommand(turn, '');
    const maxTextChars = this.options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
    if (text.length > maxTextChars) {
      return [turn.reply({ intent: 'notice', text: turn.t('common:text.tooLong', { max: maxTextChars }), actions: [helpAction(turn)] })];
    }

    const pending = turn.learner.pendingActions;
    // "b" or "a, c" names options by the letters shown beside them: the same as typing their numbers.
    const picked = pickNumberedChoice(lettersAsNumbers(text, turn.t('course:quiz.letters'), pending) ?? text, pending);
    if (picked) {
      const route = registry.get(picked.command);
      if (route) {
        // A typed number is a button press: the digits are not text for the route.
        Object.assign(turn.args, picked.args ?? {});
        turn.text = '';
        return route.handler(turn);
      }
    }
    if (pending.length && isNumberList(text)) {
      // The learner only mistyped the number: offer the same choices again.
      return [turn.reply({ intent: 'notice', text: turn.t('common:text.noSuchChoice', { max: pending.length }), actions: pending })];
    }
    const match = registry.match(text);
    if (match) {
      turn.text = match.rest;
      return match.route.handler(turn);
    }
    if (looksLikeCommand(text, registry)) return this.unknownCommand(turn, text);
    for (const capture of registry.textCaptures) {
      const captured = await capture(turn);
      if (captured) return captured;
    }
    const fallback = registry.fallbackRoute;
    return fallback ? fallback(turn) : this.unknownCommand(turn, text);
  }

  private unknownCommand(turn: Turn, text: string): Reply[] {
    const suggestions = text ? this.options.registry.suggest(text) : [];
    const t = turn.t;
    return [
      turn.reply({
        intent: 'notice',
        title: t('common:unknown.title'),
        text: suggestions.length ? t('common:unknown.suggest', { words: suggestions.map((s) => `“${s}”`).join(', ') }) : t('common:unknown.text'),
        actions: [helpAction(turn)],
      }),
    ];
  }

  /** Checked before the turn queues behind the learner's others, so a flood never holds up their real turns. */
  private async refusedByLimits(input: TurnInput): Promise<TurnResult | undefined> {
    const { limits } = this.options;
    if (!limits || input.event) return undefined;
    const key = learnerKey(input.channelId, input.userId);
    const refused = await firstRefusal(limits, [
      ['turns.learner', key],
      ['turns.tenant', input.tenantId && `${input.channelId}:${input.tenantId}`],
    ]);
    if (!refused) return undefined;
    this.options.logger.warn({ limit: refused.limit, channelId: input.channelId }, 'turn refused by a rate limit');
    this.options.metrics?.rateLimited(input.channelId);
    const lang = this.languageFor(await this.readLearner(input.channelId, input.userId).catch(() => undefined), input.locale);
    const t = this.options.localizer.forLanguage(lang);
    const text = t(refused.limit === 'turns.tenant' ? 'common:limits.tenantTurns' : 'common:limits.turns', { count: Math.max(1, Math.ceil(refused.retryAfterMs / 1000)) });
    // Pressed after the wait, these carry on; nothing of the refused turn is lost.
    const actions = nextSteps(t, input.scope, this.options.registry);
    return { duplicate: false, lang, replies: [{ intent: 'notice', lang, dir: directionOf(lang), text, summary: text, actions }] };
  }

  private failure(input: TurnInput, err: unknown): TurnResult {
    // The request's own id when there is one, so the reference the learner quotes finds its logs.
    const correlationId = currentCorrelationId() ?? randomUUID().slice(0, 8);
    this.options.logger.error({ err, correlationId, channelId: input.channelId, activityId: input.activityId }, 'turn failed');
    const lang = toSupportedLanguage(input.locale) ?? this.options.defaultLanguage;
    const t = this.options.localizer.forLanguage(lang);
    const text = t('common:error.text', { id: correlationId });
    return {
      duplicate: false,
      lang,
      replies: [{ intent: 'error', lang, dir: directionOf(lang), title: t('common:error.title'), text, summary: text, actions: [{ label: t('common:actions.help'), command: 'help' }] }],
    };
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function helpAction(turn: Turn): Action {
  return { label: turn.t('common:actions.help'), command: 'help' };
}

/** Where anyone can always go on: the course (in a personal chat) and help, which leads to everything else. */
function nextSteps(t: Turn['t'], scope: TurnInput['scope'], registry: CommandRegistry): Action[] {
  const course: Action[] = scope === 'personal' && registry.get('start') ? [{ label: t('common:actions.start'), command: 'start', style: 'primary' }] : [];
  return [...course, { label: t('common:actions.help'), command: 'help' }];
}

/**
 * No turn ends nowhere: when none of its replies offers a button, a choice or a box, the last new
 * message gets the usual next steps, so a card added later cannot be a dead end. Notes to whoever
 * pressed and cards updated in place (a closed poll, seen by everyone) are left as they are.
 */
function withNextStep(replies: Reply[], steps: Action[]): Reply[] {
  if (replies.some((r) => numberedChoices(r).length || r.textInput)) return replies;
  const isNewMessage = (r: Reply) => !r.ephemeral && !r.updatesPressedCard && !r.replaces;
  let last = replies.length - 1;
  while (last >= 0 && !isNewMessage(replies[last])) last--;
  if (last < 0) return replies;
  return replies.map((r, i) => (i === last ? { ...r, actions: steps } : r));
}

/**
 * Digits separated by commas, semicolons or spaces ("2", "1, 3", "٣"). Written as two linear
 * character-class tests: a nested-repetition pattern here backtracked exponentially on input
 * such as "1   1   1 … x", and this runs on almost every typed message.
 */
const NUMBER_LIST_CHARS = /^[\d,;\s]+$/;
const MAX_NUMBER_LIST_CHARS = 200;

function isNumberList(text: string): boolean {
  if (text.length > MAX_NUMBER_LIST_CHARS) return false;
  const western = westernDigits(text);
  return NUMBER_LIST_CHARS.test(western) && /\d/.test(western);
}

const MAX_LETTER_LIST_CHARS = 40;

/**
 * "b" → "2", "a, c" → "1,3": letters as listed beside the options of the question on screen
 * (`letters` is the language's comma-separated list; Latin A–J work in every language). Only
 * when each letter names an answer option; anything else is left to the other routes.
 */
function lettersAsNumbers(text: string, letters: string, pending: Action[]): string | undefined {
  if (!pending.length || text.length > MAX_LETTER_LIST_CHARS) return undefined;
  const own = letters.split(',').map((l) => l.trim().toLowerCase());
  const latin = 'abcdefghij'.split('');
  const tokens = text
    .trim()
    .toLowerCase()
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map((token) => (token.endsWith(')') || token.endsWith('.') ? token.slice(0, -1) : token));
  if (!tokens.length) return undefined;
  const numbers: number[] = [];
  for (const token of tokens) {
    const at = own.includes(token) ? own.indexOf(token) : latin.indexOf(token);
    if (at < 0 || pending[at]?.args?.answer === undefined) return undefined;
    numbers.push(at + 1);
  }
  return numbers.join(',');
}

/** "2" picks the second numbered choice; "1,3" picks several options of a multiple-choice question. */
function pickNumberedChoice(text: string, pending: Action[]): Action | undefined {
  if (!pending.length || !isNumberList(text)) return undefined;
  const picks = [
    ...new Set(
      westernDigits(text)
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map(Number),
    ),
  ];
  const actions = picks.map((n) => pending[n - 1]);
  if (actions.some((a) => !a)) return undefined;
  if (actions.length === 1) return actions[0];
  const [first] = actions;
  const sameQuestion = actions.every((a) => a.command === first.command && a.args?.answer !== undefined && a.args?.question === first.args?.question);
  if (!sameQuestion) return undefined;
  return { ...first, args: { ...first.args, answer: actions.map((a) => a.args!.answer).join(',') } };
}

function pendingActionsOf(replies: Reply[], previous: Action[]): Action[] {
  for (let i = replies.length - 1; i >= 0; i--) {
    const choices = numberedChoices(replies[i]);
    if (choices.length) return choices;
  }
  return replies.length ? [] : previous;
}

/** A lone word starting with "/" or close to a command word is a mistyped command, not a question. */
function looksLikeCommand(text: string, registry: CommandRegistry): boolean {
  const trimmed = text.trim();
  if (/^[/!]\S*$/.test(trimmed)) return true;
  if (/\s/.test(trimmed) || trimmed.length > 20) return false;
  return registry.suggest(trimmed).length > 0;
}

export type { Route, RouteHandler };
