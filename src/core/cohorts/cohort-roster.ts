import type { RosterMember } from '../../ports/cohort-channels';
import type { Cohort, CohortMember } from './cohort-model';

/** Splits a channel roster into the cohort's members and the bots and guests left out. */
export function membersFromRoster(roster: RosterMember[], facilitatorIds: string[], now: Date): { members: Record<string, CohortMember>; skipped: Cohort['skipped'] } {
  const members: Record<string, CohortMember> = {};
  const skipped = { bots: 0, guests: 0 };
  for (const entry of roster) {
    if (entry.kind === 'bot') skipped.bots++;
    else if (entry.kind === 'guest') skipped.guests++;
    else if (!facilitatorIds.includes(entry.userId)) members[entry.userId] = toMember(entry, now);
  }
  return { members, skipped };
}

export function toMember(entry: RosterMember, now: Date): CohortMember {
  return { userId: entry.userId, ...(entry.name ? { name: entry.name } : {}), ...(entry.email ? { email: entry.email } : {}), address: entry.address, joinedAt: now.toISOString() };
}

/** Later joiners (membersAdded, member_joined_channel): returns the ids that are new to the cohort. */
export function addJoiners(cohort: Cohort, joined: RosterMember[], now: Date): string[] {
  const added: string[] = [];
  for (const entry of joined) {
    if (cohort.members[entry.userId] || cohort.facilitators.includes(entry.userId)) continue;
    if (entry.kind === 'bot') cohort.skipped.bots++;
    else if (entry.kind === 'guest') cohort.skipped.guests++;
    else {
      cohort.members[entry.userId] = toMember(entry, now);
      added.push(entry.userId);
    }
  }
  return added;
}

/**
 * The person an `@mention` names: a Slack mention carries the id (<@U123>), a Teams mention
 * the display name (<at>Bea Costa</at>); plain text may be a name or an e-mail.
 */
export function findMentioned(text: string, people: { userId: string; name?: string; email?: string }[]): { userId: string; name?: string; email?: string }[] {
  const slackId = slackMentionId(text);
  if (slackId) return people.filter((p) => p.userId === slackId);
  const named = teamsMentions(text)[0];
  const wanted = normalize((named ?? text).trim().replace(/^@/, ''));
  if (!wanted) return [];
  return people.filter((p) => normalize(p.name ?? '') === wanted || normalize(p.email ?? '') === wanted || p.userId.toLowerCase() === wanted);
}

/** The id in the first Slack mention "<@U123>" or "<@U123|name>" (string scanning: linear, whatever the input). */
function slackMentionId(text: string): string | undefined {
  const start = text.indexOf('<@');
  if (start < 0) return undefined;
  let end = start + 2;
  while (end < text.length && /[A-Z0-9]/.test(text[end])) end++;
  const close = text[end];
  return end > start + 2 && (close === '>' || close === '|') ? text.slice(start + 2, end) : undefined;
}

/** The names inside Teams mentions "<at>Bea Costa</at>", in order. */
export function teamsMentions(text: string): string[] {
  const lower = text.toLowerCase();
  const names: string[] = [];
  for (let from = 0; ; ) {
    const open = lower.indexOf('<at>', from);
    if (open < 0) return names;
    const close = lower.indexOf('</at>', open + 4);
    if (close < 0) return names;
    names.push(text.slice(open + 4, close));
    from = close + 5;
  }
}

/** The text without any Teams mention markup and the names inside it. */
export function withoutTeamsMentions(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  for (let from = 0; ; ) {
    const open = lower.indexOf('<at>', from);
    const close = open < 0 ? -1 : lower.indexOf('</at>', open + 4);
    if (close < 0) return out + text.slice(from);
    out += `${text.slice(from, open)} `;
    from = close + 5;
  }
}

function normalize(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
