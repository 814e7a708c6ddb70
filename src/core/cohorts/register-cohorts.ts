import { randomUUID } from 'node:crypto';
import { SUPPORTED_LANGUAGES } from '../../config/config-schema';
import { toSupportedLanguage } from '../../i18n/i18n';
import type { CohortChannelPort, RosterMember, RosterResult } from '../../ports/cohort-channels';
import type { StoragePort } from '../../ports/storage';
import { MAX_UPLOAD_BYTES } from '../../ports/uploads';
import type { AuditRecorder } from '../privacy/audit-log';
import type { CommandRegistry } from '../command-registry';
import type { CourseCatalog } from '../course/content-model';
import { learnerKey } from '../learner';
import type { Reply } from '../../intents/reply';
import { validTimeZone } from '../reminders/reminder-time';
import type { Turn } from '../turn';
import type { ExportLinks } from './cohort-export';
import { channelConversationId, type Cohort } from './cohort-model';
import { addDays, defaultDueDate, localDate, parseCalendarDate, weeklyPlan } from './cohort-plan';
import { cohortCard, formatDate } from './cohort-replies';
import { memberStandings, reportItems } from './cohort-report';
import { pollReportItems } from '../facilitation/polls/poll-report';
import { threadReportItems } from '../facilitation/threads/thread-report';
import { ThreadStore } from '../facilitation/threads/thread-store';
import { addJoiners, findMentioned, membersFromRoster, withoutTeamsMentions } from './cohort-roster';
import { parseEnrolList, type EnrolProblem } from './enrol-list';
import { CohortExistsError, CohortStore } from './cohort-store';
import type { FacilitatorRoles } from './facilitator-roles';
import { literal } from '../markdown-literal';
import type { WelcomeDispatcher } from './welcome-dispatcher';

export interface CohortDeps {
  storage: StoragePort;
  catalog: CourseCatalog;
  roles: FacilitatorRoles;
  /** Per channel id (msteams, slack): roster and personal messages. */
  channels: Record<string, CohortChannelPort>;
  welcomes: WelcomeDispatcher;
  exports: ExportLinks;
  /** Fewest learners whose scores may be averaged in a report (never below 3). */
  minAggregate: number;
  /** Every export of a cohort's data is recorded here (who, when, which cohort). */
  audit: AuditRecorder;
}

const MAX_NAME = 80;

/**
 * The facilitator's side of a cohort: `cohort new <name>` in a channel builds the roster and
 * starts the welcomes, `cohort` shows and edits the plan, `cohort add facilitator @name`,
 * `report` and `export` (answered in the facilitator's personal chat). Every command checks
 * the facilitator role here, on the server.
 */
export function registerCohorts(registry: CommandRegistry, deps: CohortDeps): { membersJoined: (channelId: string, conversationId: string, joined: RosterMember[], now?: Date) => Promise<void> } {
  const store = new CohortStore(deps.storage);
  const notice = (turn: Turn, key: string, options: Record<string, unknown> = {}): Reply[] => [turn.reply({ intent: 'notice', text: turn.t(key, options) })];
  const refusal = (turn: Turn): Reply[] => notice(turn, 'cohorts:errors.notFacilitator');

  /** The cohort a command is about: the pressed button's, the channel's, or (in a personal chat) the newest one the person runs. */
  const cohortOf = async (turn: Turn): Promise<Cohort | undefined> => {
    if (turn.args.cohort) return store.get(turn.args.cohort);
    if (turn.input.scope !== 'personal') return store.forConversation(turn.input.channelId, channelConversationId(turn.input.conversationId));
    return (await store.facilitatedBy(turn.learner.key))[0];
  };

  /** Runs `action` for a facilitator of the turn's cohort; everyone else gets the polite refusal. */
  const asFacilitator =
    (action: (turn: Turn, cohort: Cohort) => Promise<Reply[]> | Reply[]) =>
    async (turn: Turn): Promise<Reply[]> => {
      const cohort = await cohortOf(turn);
      if (!cohort) {
        if (!deps.roles.isConfigured(turn.input.userId)) return refusal(turn);
        return notice(turn, turn.input.scope === 'personal' ? 'cohorts:errors.noCohortYet' : 'cohorts:errors.noCohortHere');
      }
      if (cohort.channelId !== turn.input.channelId || !deps.roles.mayRun(cohort, turn.input.userId)) return refusal(turn);
      return action(turn, cohort);
    };

  const card = (turn: Turn, cohort: Cohort, extra: { title?: string; notice?: string } = {}): Reply =>
    turn.reply(
      cohortCard(cohort, deps.catalog.get(turn.lang), turn.t, turn.lang, {
        ...extra,
        facilitatorNames: Object.values(cohort.facilitatorNames),
        ownTimeZone: turn.learner.timezone ? validTimeZone(turn.learner.timezone) : undefined,
      }),
    );

  /** Changes a cohort and shows the updated card. */
  const edit = (change: (turn: Turn, cohort: Cohort) => Cohort | Reply[]) =>
    asFacilitator(async (turn, cohort) => {
      const checked = change(turn, structuredClone(cohort));
      if (Array.isArray(checked)) return checked;
      // Applied again to the latest version, so a concurrent roster change or edit is kept.
      const saved = await store.update(cohort.id, (latest) => {
        const next = change(turn, latest);
        return Array.isArray(next) ? undefined : { ...next, updatedAt: turn.now.toISOString() };
      });
      return [card(turn, saved ?? checked, { notice: turn.t('cohorts:card.saved') })];
    });

  /** Facilitator-only results go to the facilitator's personal chat, never to the channel. */
  const threadStore = new ThreadStore(deps.storage);
  const privately = async (turn: Turn, cohort: Cohort, replies: Reply[]): Promise<Reply[]> => {
    if (turn.input.scope === 'personal') return replies;
    const channel = deps.channels[cohort.channelId];
    const userId = turn.input.userId;
    const address = cohort.facilitatorAddresses[userId] ?? cohort.members[userId]?.address ?? {};
    const result = channel ? await channel.sendPersonal({ userId, address }, replies) : { outcome: 'failed' as const };
    return notice(turn, result.outcome === 'sent' ? 'cohorts:private.sent' : 'cohorts:private.unreachable');
  };

  registry.add({
    name: 'cohort.new',
    aliasesKey: 'cohorts:commands.new',
    helpKey: 'cohorts:help.new',
    takesText: true,
    handler: async (turn) => {
      const { channelId, userId } = turn.input;
      if (turn.input.scope === 'personal') return notice(turn, 'cohorts:errors.needsChannel');
      const channel = deps.channels[channelId];
      if (!channel) return notice(turn, 'cohorts:errors.channelUnsupported');
      const conversationId = channelConversationId(turn.input.conversationId);
      let roster: RosterResult | undefined;
      if (!deps.roles.isConfigured(userId)) {
        // Facilitators listed by e-mail/UPN: the roster tells us this person's address.
        if (!deps.roles.listsEmails) return refusal(turn);
        roster = await channel.roster(conversationId);
        const me = roster.ok ? roster.members.find((m) => m.userId === userId) : undefined;
        if (!deps.roles.isConfigured(userId, me?.email)) return roster.ok ? refusal(turn) : notice(turn, `cohorts:errors.roster.${roster.failure}`);
      }
      const name = withoutTeamsMentions(turn.text).replace(/\s+/g, ' ').trim().slice(0, MAX_NAME);
      if (!name) return notice(turn, 'cohorts:errors.needsName');
      const existing = await store.forConversation(channelId, conversationId);
      if (existing) return [card(turn, existing, { notice: turn.t('cohorts:errors.exists', { name: literal(existing.name) }) })];
      roster ??= await channel.roster(conversationId);
      if (!roster.ok) return notice(turn, `cohorts:errors.roster.${roster.failure}`);

      const timeZone = validTimeZone(turn.learner.timezone);
      const startDate = localDate(turn.now, timeZone);
      const course = deps.catalog.get(turn.lang);
      const me = roster.members.find((m) => m.userId === userId);
      const { members, skipped } = membersFromRoster(roster.members, [userId], turn.now);
      const cohort: Cohort = {
        id: randomUUID(),
        name,
        channelId,
        conversationId,
        createdAt: turn.now.toISOString(),
        facilitators: [userId],
        facilitatorAddresses: { [userId]: me?.address ?? {} },
        facilitatorNames: { [userId]: me?.name ?? turn.learner.name ?? userId },
        startDate,
        dueDate: defaultDueDate(course, startDate),
        timeZone,
        language: turn.lang,
        plan: weeklyPlan(course, startDate),
        members,
        skipped,
        updatedAt: turn.now.toISOString(),
      };
      try {
        await store.create(cohort);
      } catch (err) {
        if (err instanceof CohortExistsError) return notice(turn, 'cohorts:errors.exists', { name: literal(name) });
        throw err;
      }
      await store.addFacilitating(turn.learner.key, cohort.id);
      // The cohort starts today: the welcomes go out in the background, not in this turn.
      void deps.welcomes.tick();
      const created = turn.t('cohorts:created.text', { count: Object.keys(members).length, bots: skipped.bots, guests: skipped.guests });
      return [card(turn, cohort, { title: turn.t('cohorts:created.title', { name: literal(name) }), notice: created })];
    },
  });

  registry.add({ name: 'cohort', aliasesKey: 'cohorts:commands.cohort', helpKey: 'cohorts:help.cohort', handler: asFacilitator((turn, cohort) => [card(turn, cohort)]) });

  registry.add({
    name: 'cohort.facilitator',
    aliasesKey: 'cohorts:commands.facilitator',
    helpKey: 'cohorts:help.facilitator',
    takesText: true,
    handler: asFacilitator(async (turn, cohort) => {
      const found = findMentioned(turn.text, Object.values(cohort.members));
      if (found.length !== 1) return notice(turn, found.length ? 'cohorts:facilitator.ambiguous' : 'cohorts:facilitator.notMember');
      const person = cohort.members[found[0].userId];
      const saved = await store.update(cohort.id, (latest) => {
        if (latest.facilitators.includes(person.userId)) return undefined;
        const { [person.userId]: _left, ...members } = latest.members;
        return {
          ...latest,
          members,
          facilitators: [...latest.facilitators, person.userId],
          facilitatorAddresses: { ...latest.facilitatorAddresses, [person.userId]: person.address },
          facilitatorNames: { ...latest.facilitatorNames, [person.userId]: person.name ?? person.userId },
          updatedAt: turn.now.toISOString(),
        };
      });
      await store.addFacilitating(learnerKey(cohort.channelId, person.userId), cohort.id);
      return [card(turn, saved ?? cohort, { notice: turn.t('cohorts:facilitator.added', { name: literal(person.name ?? person.userId) }) })];
    }),
  });

  const shiftAll = (cohort: Cohort, days: number): Cohort => ({
    ...cohort,
    startDate: addDays(cohort.startDate, days),
    dueDate: addDays(cohort.dueDate, days),
    plan: Object.fromEntries(Object.entries(cohort.plan).map(([id, date]) => [id, addDays(date, days)])),
  });
  const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

  registry.add({
    name: 'cohort.shift',
    handler: edit((turn, cohort) => {
      const weeks = Number(turn.args.weeks);
      return Number.isInteger(weeks) && Math.abs(weeks) <= 52 ? shiftAll(cohort, 7 * weeks) : notice(turn, 'cohorts:errors.badDate');
    }),
  });
  registry.add({
    name: 'cohort.start',
    aliasesKey: 'cohorts:commands.start',
    takesText: true,
    handler: edit((turn, cohort) => {
      const date = parseCalendarDate(turn.args.date ?? turn.text);
      return date ? shiftAll(cohort, daysBetween(cohort.startDate, date)) : notice(turn, 'cohorts:errors.badDate');
    }),
  });
  registry.add({
    name: 'cohort.due',
    aliasesKey: 'cohorts:commands.due',
    takesText: true,
    handler: edit((turn, cohort) => {
      const date = parseCalendarDate(turn.args.date ?? turn.text);
      if (!date) return notice(turn, 'cohorts:errors.badDate');
      return date < cohort.startDate ? notice(turn, 'cohorts:errors.dueBeforeStart') : { ...cohort, dueDate: date };
    }),
  });
  registry.add({
    name: 'cohort.module',
    aliasesKey: 'cohorts:commands.module',
    takesText: true,
    handler: edit((turn, cohort) => {
      const [ref, when] = turn.text.trim().split(/\s+/);
      const course = deps.catalog.get(turn.lang);
      const module = course.modules.find((m) => m.id === ref?.toLowerCase() || String(m.order) === ref);
      const date = parseCalendarDate(when ?? '');
      if (!module) return notice(turn, 'cohorts:errors.badModule', { count: course.modules.length });
      if (!date) return notice(turn, 'cohorts:errors.badDate');
      return { ...cohort, plan: { ...cohort.plan, [module.id]: date } };
    }),
  });
  registry.add({
    name: 'cohort.timezone',
    aliasesKey: 'cohorts:commands.timezone',
    takesText: true,
    handler: edit((turn, cohort) => {
      const wanted = (turn.args.zone ?? turn.text).trim();
      return wanted && validTimeZone(wanted) === wanted ? { ...cohort, timeZone: wanted } : notice(turn, 'cohorts:errors.badTimeZone');
    }),
  });
  registry.add({
    name: 'cohort.language',
    aliasesKey: 'cohorts:commands.language',
    takesText: true,
    handler: edit((turn, cohort) => {
      const wanted = toSupportedLanguage(turn.args.language ?? turn.text);
      return wanted ? { ...cohort, language: wanted } : notice(turn, 'cohorts:errors.badLanguage', { languages: SUPPORTED_LANGUAGES.join(', ') });
    }),
  });

  /** The pasted list as typed, newlines kept (the command word removed), so problems can name their lines. */
  const pastedList = (turn: Turn): string => {
    const raw = turn.input.text ?? '';
    const trimmed = raw.trim();
    let words = trimmed.split(/\s+/).length - (turn.text.trim() ? turn.text.trim().split(/\s+/).length : 0);
    // Skip the command's words (and the spaces after them), stopping after the first line break.
    let i = 0;
    const space = (c: string | undefined) => c === ' ' || c === '\t' || c === '\u00a0';
    while (i < trimmed.length && words > 0) {
      while (i < trimmed.length && !/\s/.test(trimmed[i])) i++;
      words--;
      while (words > 0 && i < trimmed.length && /\s/.test(trimmed[i])) i++;
    }
    while (space(trimmed[i])) i++;
    if (trimmed[i] === '\r') i++;
    if (trimmed[i] === '\n') i++;
    return trimmed.slice(i);
  };
  const problemsReply = (turn: Turn, problems: EnrolProblem[]): Reply[] => {
    const shown = problems.slice(0, 20).map((p) => ({ title: turn.t('cohorts:enrol.line', { line: p.line }), text: turn.t(`cohorts:enrol.problem.${p.kind}`, { text: p.text, max: 500 }) }));
    const more = problems.length > shown.length ? [{ title: turn.t('cohorts:report.more', { count: problems.length - shown.length }) }] : [];
    return [turn.reply({ intent: 'notice', title: turn.t('cohorts:enrol.problemsTitle'), text: turn.t('cohorts:enrol.nothingImported'), items: [...shown, ...more] })];
  };

  registry.add({
    name: 'cohort.enrol',
    aliasesKey: 'cohorts:commands.enrol',
    helpKey: 'cohorts:help.enrol',
    takesText: true,
    handler: asFacilitator(async (turn, cohort) => {
      // An uploaded CSV is read only here, after the role check; its lines are numbered as in the file.
      const upload = turn.input.upload;
      const file = upload ? await upload.read() : undefined;
      if (file && !file.ok) return notice(turn, `cohorts:enrol.upload.${file.failure}`, { name: literal(upload!.name), max: MAX_UPLOAD_BYTES / 1024 });
      const parsed = parseEnrolList(file ? file.text : pastedList(turn));
      if (!parsed.ok) return problemsReply(turn, parsed.problems);
      if (!parsed.addresses.length) return notice(turn, upload ? 'cohorts:enrol.upload.empty' : 'cohorts:enrol.how', { name: literal(upload?.name ?? '') });
      const channel = deps.channels[cohort.channelId];
      if (!channel) return notice(turn, 'cohorts:errors.channelUnsupported');
      const found: RosterMember[] = [];
      const unknown: EnrolProblem[] = [];
      for (const entry of parsed.addresses) {
        const result = await channel.lookup(cohort.conversationId, entry.address);
        if (!result.ok) return notice(turn, `cohorts:errors.roster.${result.failure}`);
        if (result.member) found.push(result.member);
        else unknown.push({ line: entry.line, text: entry.address, kind: 'unknown-person' });
      }
      if (unknown.length) return problemsReply(turn, unknown);
      let added: string[] = [];
      const saved = await store.update(cohort.id, (latest) => {
        added = addJoiners(latest, found, turn.now);
        return { ...latest, updatedAt: turn.now.toISOString() };
      });
      if (saved?.welcomesQueuedAt) {
        for (const userId of added) await deps.welcomes.queue(saved.id, userId, turn.now);
        void deps.welcomes.tick();
      }
      return [card(turn, saved ?? cohort, { notice: turn.t('cohorts:enrol.done', { count: added.length, already: found.length - added.length }) })];
    }),
  });

  registry.add({
    name: 'report',
    aliasesKey: 'cohorts:commands.report',
    helpKey: 'cohorts:help.report',
    handler: asFacilitator(async (turn, cohort) => {
      const course = deps.catalog.get(turn.lang);
      const standings = await memberStandings(deps.storage, cohort, course, turn.now);
      const behind = standings.filter((s) => s.behind).length;
      const finished = standings.filter((s) => s.finished).length;
      const report = turn.reply({
        intent: 'progress',
        title: turn.t('cohorts:report.title', { name: literal(cohort.name) }),
        facts: [
          { label: turn.t('cohorts:card.members'), value: String(standings.length) },
          { label: turn.t('cohorts:report.finished'), value: String(finished) },
          { label: turn.t('cohorts:report.behind'), value: String(behind) },
          { label: turn.t('cohorts:report.nudgesStopped'), value: String(standings.filter((s) => s.nudgesStopped).length) },
          { label: turn.t('cohorts:card.due'), value: formatDate(cohort.dueDate, turn.lang) },
        ],
        items: [
          ...reportItems(cohort, course, standings, turn.t, turn.lang, Math.max(3, deps.minAggregate)),
          ...(await pollReportItems(deps.storage, cohort, course, turn.t, turn.now)),
          ...(await threadReportItems(threadStore, cohort, course, turn.t, turn.lang)),
        ],
        actions: [{ label: turn.t('cohorts:report.export'), command: 'export', args: { cohort: cohort.id } }],
      });
      return privately(turn, cohort, [report]);
    }),
  });

  registry.add({
    name: 'export',
    aliasesKey: 'cohorts:commands.export',
    helpKey: 'cohorts:help.export',
    handler: asFacilitator(async (turn, cohort) => {
      const course = deps.catalog.get(turn.lang);
      const standings = await memberStandings(deps.storage, cohort, course, turn.now);
      const fileName = `${cohort.name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'cohort'}-${localDate(turn.now, cohort.timeZone)}.csv`;
      const link = await deps.exports.store(cohort.id, fileName, turn.lang, turn.now);
      await deps.audit.record({ actor: turn.learner.key, action: 'cohort.export', at: turn.now, detail: { cohortId: cohort.id, rows: standings.length, exportId: link.id } });
      const reply = turn.reply({
        intent: 'notice',
        title: turn.t('cohorts:export.title', { name: literal(cohort.name) }),
        text: turn.t('cohorts:export.text', { count: standings.length, minutes: 15 }),
        attachments: [{ name: fileName, contentType: 'text/csv', url: link.url }],
      });
      return privately(turn, cohort, [reply]);
    }),
  });

  return {
    /** Members who joined the channel later; welcomed right away when the cohort has started. */
    async membersJoined(channelId, conversationId, joined, now = new Date()) {
      const cohort = await store.forConversation(channelId, channelConversationId(conversationId));
      if (!cohort) return;
      let added: string[] = [];
      const saved = await store.update(cohort.id, (latest) => {
        added = addJoiners(latest, joined, now);
        return added.length || joined.length ? { ...latest, updatedAt: now.toISOString() } : undefined;
      });
      if (!saved?.welcomesQueuedAt || !added.length) return;
      for (const userId of added) await deps.welcomes.queue(saved.id, userId, now);
      void deps.welcomes.tick();
    },
  };
}
