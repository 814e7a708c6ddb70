import { directionOf, type Translate } from '../../../i18n/i18n';
import type { Language } from '../../../config/config-schema';
import type { CourseModule } from '../../course/content-model';
import { literal } from '../../markdown-literal';
import type { Reply, ReplyItem } from '../../../intents/reply';
import type { Turn } from '../../turn';
import { isClosed, pollCardKey, tallyOf, type PollDocument } from './poll-store';

export const CONFIDENCE_LEVELS = ['1', '2', '3', '4'] as const;

/** The poll's question as shown: the facilitator's words, or the locale's confidence question. */
export function pollQuestion(poll: PollDocument, t: Translate): string {
  return poll.kind === 'confidence' ? t('facilitation:poll.question') : literal(poll.question);
}

function optionLabel(poll: PollDocument, id: string, t: Translate): string {
  if (poll.kind === 'confidence') return t(`facilitation:poll.levels.${id}`);
  return poll.options.find((o) => o.id === id)?.label ?? id;
}

function clockTime(iso: string, lang: Language, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat(lang === 'pt' ? 'pt-PT' : lang, {
    timeZone: timeZone ?? 'UTC',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    day: 'numeric',
    month: 'short',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** Whether the results may be shown: named polls always, anonymous ones from `minVotes` voters on. */
export function resultsVisible(poll: PollDocument): boolean {
  return !poll.anonymous || tallyOf(poll).voters >= poll.minVotes;
}

/** One line per option with its count and share of voters (multiple choice: shares add up to more than 100%). */
export function resultItems(poll: PollDocument, t: Translate): ReplyItem[] {
  const tally = tallyOf(poll);
  return poll.options.map((o) => {
    const count = tally.counts[o.id] ?? 0;
    const pct = tally.voters ? Math.round((100 * count) / tally.voters) : 0;
    const tenths = Math.round(pct / 10);
    const voters = poll.anonymous
      ? []
      : Object.entries(poll.ballots)
          .filter(([, c]) => c.includes(o.id))
          .map(([hash]) => poll.names?.[hash])
          .filter((n): n is string => Boolean(n));
    return {
      title: literal(optionLabel(poll, o.id, t)),
      badge: String(count),
      text: [`${'█'.repeat(tenths)}${'░'.repeat(10 - tenths)} ${t('facilitation:polls.percent', { percent: pct })}`, voters.length ? voters.map(literal).join(', ') : undefined]
        .filter(Boolean)
        .join('\n\n'),
    };
  });
}

/** The one live card of a poll: question, how it works, status or results, and its buttons while open (also drawn outside a turn, when a poll closes on time). */
export function pollCard(turn: Pick<Turn, 't' | 'lang' | 'now'>, poll: PollDocument, module?: CourseModule): Reply {
  const t = turn.t;
  const closed = isClosed(poll, turn.now);
  const tally = tallyOf(poll);
  const visible = resultsVisible(poll);
  const question = pollQuestion(poll, t);
  const lines: string[] = [
    `**${question}**`,
    poll.anonymous ? t('facilitation:polls.anonymous', { count: poll.minVotes }) : t('facilitation:polls.named'),
    poll.multiple ? t('facilitation:polls.multiple') : t('facilitation:polls.single'),
  ];
  if (closed) lines.push(t('facilitation:polls.closed', { count: tally.voters }));
  else if (poll.closesAt) lines.push(t('facilitation:polls.closesAt', { time: clockTime(poll.closesAt, turn.lang, poll.timeZone) }));
  if (!visible) lines.push(closed ? t('facilitation:polls.tooFewClosed', { min: poll.minVotes }) : t('facilitation:polls.soFar', { count: tally.voters, min: poll.minVotes }));
  else if (!closed) lines.push(t('facilitation:polls.votes', { count: tally.voters }));
  const title = poll.kind === 'confidence' && module ? t('facilitation:polls.confidenceTitle', { order: module.order, title: module.title }) : t('facilitation:polls.title');
  return {
    lang: turn.lang,
    dir: directionOf(turn.lang),
    intent: 'reflection',
    title,
    text: lines.join('\n\n'),
    items: visible ? resultItems(poll, t) : undefined,
    choices: closed
      ? undefined
      : {
          selection: poll.multiple ? 'multiple' : 'single',
          command: 'poll.vote',
          args: { poll: poll.id },
          inputLabel: question,
          submitLabel: t('facilitation:polls.actions.vote'),
          options: poll.options.map((o) => ({ id: o.id, label: optionLabel(poll, o.id, t) })),
        },
    actions: closed ? [] : [{ label: t('facilitation:polls.actions.close'), command: 'poll.close', args: { poll: poll.id } }],
    key: pollCardKey(poll.id),
    summary: poll.kind === 'confidence' ? t('facilitation:poll.question') : poll.question,
  };
}

/** A short note only the voter sees. */
export function privateNote(turn: Turn, key: string, options: Record<string, unknown> = {}): Reply {
  return turn.reply({ intent: 'notice', text: turn.t(key, options), ephemeral: true });
}
