import type { Localizer } from '../i18n/i18n';
import type { Action, Reply } from '../intents/reply';
import type { RouteHandler } from './turn';
import { LeadingPhrases } from './leading-phrases';
import { editDistance, normalizeCommandText } from './text-normalize';
import { CodedError } from '../errors/coded-error';

export interface Route {
  /** Stable route name, used by buttons: e.g. "next", "quiz.answer". */
  name: string;
  handler: RouteHandler;
  /**
   * i18n key of the words that call this route when typed (a string array per language, in
   * namespace "commands"). Routes without one are reachable by buttons only.
   */
  aliasesKey?: string;
  /** i18n key of a one-line description; routes with one are listed by `help`. */
  helpKey?: string;
  /** Typed text after the command word is passed on as `turn.text` (e.g. "ask ..."). */
  takesText?: boolean;
}

/**
 * Free text a feature takes before Q&A does (an open exercise's answer, a reflection): it
 * returns replies when the text was for it, undefined when not. Typed commands still win.
 */
export type TextCapture = (turn: Parameters<RouteHandler>[0]) => Promise<Reply[] | undefined> | Reply[] | undefined;

export interface TextMatch {
  route: Route;
  rest: string;
}

/**
 * The route registry: every feature registers its commands and buttons here; the coach
 * dispatches typed text (in any supported language), button presses and lifecycle events.
 */
export class CommandRegistry {
  private readonly routes = new Map<string, Route>();
  private readonly eventHandlers = new Map<string, RouteHandler>();
  private fallbackHandler?: RouteHandler;
  private readonly captures: TextCapture[] = [];
  private aliasCache?: { alias: string; route: Route }[];
  /** The command words as leading phrases; only a route that takes text may be followed by more. */
  private aliasIndex?: LeadingPhrases<Route>;

  constructor(private readonly localizer: Localizer) {}

  add(route: Route): this {
    if (this.routes.has(route.name)) throw new CodedError('invariant_violated', `route "${route.name}" is registered twice`);
    this.routes.set(route.name, route);
    this.aliasCache = undefined;
    this.aliasIndex = undefined;
    return this;
  }

  onEvent(event: string, handler: RouteHandler): this {
    this.eventHandlers.set(event, handler);
    return this;
  }

  /** Free text that is no command (questions for Q&A). */
  fallback(handler: RouteHandler): this {
    this.fallbackHandler = handler;
    return this;
  }

  /** Free text for a feature's open task, consulted in registration order before the fallback. */
  captureText(capture: TextCapture): this {
    this.captures.push(capture);
    return this;
  }

  get textCaptures(): readonly TextCapture[] {
    return this.captures;
  }

  get(name: string): Route | undefined {
    return this.routes.get(name);
  }

  event(name: string): RouteHandler | undefined {
    return this.eventHandlers.get(name);
  }

  get fallbackRoute(): RouteHandler | undefined {
    return this.fallbackHandler;
  }

  /** Every route, in registration order. */
  all(): Route[] {
    return [...this.routes.values()];
  }

  /** How many routes there are; routes are only ever added, so a change means new ones. */
  get size(): number {
    return this.routes.size;
  }

  /** Routes listed by help, in registration order. */
  helpRoutes(): Route[] {
    return this.all().filter((r) => r.helpKey);
  }

  /**
   * Matches typed text against every language's command words; the longest word wins. The
   * same answer as trying each word in turn, longest first, found by looking up the text and
   * its leading words (a few map lookups rather than hundreds of comparisons on every message).
   */
  match(text: string): TextMatch | undefined {
    const normalized = normalizeCommandText(text);
    if (!normalized) return undefined;
    this.aliases();
    const found = this.aliasIndex!.match(normalized);
    if (!found) return undefined;
    if (found.phrase === normalized) return { route: found.value, rest: '' };
    return { route: found.value, rest: text.trim().split(/\s+/).slice(found.phrase.split(' ').length).join(' ') };
  }

  /** For a one-word unknown command ("nxt", "/foo"): the closest command words, if any. */
  suggest(text: string): string[] {
    const normalized = normalizeCommandText(text);
    if (!/\p{L}/u.test(normalized)) return [];
    const scored = this.aliases()
      .map(({ alias }) => ({ alias, d: editDistance(normalized, alias, 2) }))
      .filter((s) => s.d <= 1 || (s.d === 2 && normalized.length >= 4))
      .sort((a, b) => a.d - b.d);
    return [...new Set(scored.map((s) => s.alias))].slice(0, 3);
  }

  private aliases(): { alias: string; route: Route }[] {
    if (!this.aliasCache) {
      const list: { alias: string; route: Route }[] = [];
      for (const route of this.routes.values()) {
        if (!route.aliasesKey) continue;
        for (const word of this.localizer.allTranslations(route.aliasesKey)) list.push({ alias: normalizeCommandText(word), route });
      }
      this.aliasCache = list.filter((a) => a.alias).sort((a, b) => b.alias.length - a.alias.length);
      this.aliasIndex = new LeadingPhrases(this.aliasCache.map(({ alias, route }) => ({ phrase: alias, value: route, leads: Boolean(route.takesText) })));
    }
    return this.aliasCache;
  }
}

/**
 * The numbered choices a reply offers in text form, in display order: quiz options first,
 * then item actions, then buttons. Renderers and the coach use the same numbering so that a
 * learner can type "2" wherever a button would be.
 */
export function numberedChoices(reply: Reply): Action[] {
  const out: Action[] = [];
  if (reply.choices) {
    for (const option of reply.choices.options) {
      out.push({ label: option.label, command: reply.choices.command, args: { ...reply.choices.args, answer: option.id } });
    }
  }
  for (const item of reply.items ?? []) if (item.action) out.push(item.action);
  for (const action of reply.actions ?? []) out.push(action);
  return out;
}
