import type { JobPort } from '../../../ports/jobs';
import type { StoragePort } from '../../../ports/storage';
import { channelConversationId } from '../../cohorts/cohort-model';
import { CohortStore } from '../../cohorts/cohort-store';
import type { FacilitatorRoles } from '../../cohorts/facilitator-roles';
import type { CommandRegistry } from '../../command-registry';
import type { CourseCatalog, CourseModule } from '../../course/content-model';
import type { Reply } from '../../../intents/reply';
import { validTimeZone } from '../../reminders/reminder-time';
import type { Turn } from '../../turn';
import { at as atLocal, dayOfWeekIn, normalizeWhen, parseWeekday, parseWhen } from './schedule-time';
import { DISCUSSION_JOB, formatWhen, scheduleGroup, threadlessConversation, type DiscussionJobPayload } from './scheduled-prompt';

/** Sub-command words, in every course language (a facilitator may type any of them). */
const CANCEL = new Set(['cancel', 'cancelar', 'annuler', 'الغاء', 'الغ']);
const DISCUSS = new Set([
  'discuss',
  'debatir',
  'debattre',
  'discussion',
  'discussions',
  'discutir',
  'discusion',
  'discusiones',
  'discuter',
  'discussao',
  'discussoes',
  'debate',
  'debates',
  'نقاش',
  'ناقش',
  'نقاشات',
  'مناقشة',
  'مناقشات',
]);
const MODULE_WORDS = new Set(['module', 'modulo', 'وحدة', 'الوحدة']);

/**
 * `schedule discuss N <when>` (one module's prompt at a time), `schedule discussions <weekday>
 * <time>` (each module's prompt on that weekday of its week in the cohort plan), `schedule`
 * (what is planned for this channel, with Cancel buttons) and `schedule cancel <id>`. Only
 * facilitators (configured, or of this channel's cohort) may schedule or cancel; the prompts
 * are posted by the DiscussionScheduler through the job port.
 */
export function registerDiscussionSchedule(registry: CommandRegistry, deps: { jobs: JobPort; storage: StoragePort; roles: FacilitatorRoles; catalog: CourseCatalog }): void {
  const cohorts = new CohortStore(deps.storage);
  const notice = (turn: Turn, key: string, options: Record<string, unknown> = {}): Reply[] => [turn.reply({ intent: 'notice', text: turn.t(key, options) })];
  const channelConversation = (turn: Turn) => channelConversationId(turn.input.conversationId);
  const group = (turn: Turn) => scheduleGroup(turn.input.channelId, channelConversation(turn));
  const cohortOf = (turn: Turn) => cohorts.forConversation(turn.input.channelId, channelConversation(turn));

  const isFacilitator = async (turn: Turn): Promise<boolean> => {
    if (deps.roles.isConfigured(turn.input.userId)) return true;
    const cohort = await cohortOf(turn);
    return cohort !== undefined && cohort.channelId === turn.input.channelId && deps.roles.mayRun(cohort, turn.input.userId);
  };

  const moduleList = (turn: Turn): CourseModule[] => deps.catalog.get(turn.lang).modules;
  /** "2", "m2", or a module id. */
  const moduleOf = (turn: Turn, ref: string): CourseModule | undefined => {
    const wanted = normalizeWhen(ref).replace(/^m(?=\d)/, '');
    return wanted ? moduleList(turn).find((m) => m.id === wanted || String(m.order) === wanted) : undefined;
  };

  const list = async (turn: Turn, noticeText?: string): Promise<Reply[]> => {
    const pending = await deps.jobs.pending(group(turn));
    const zone = await zoneOf(turn);
    const modules = moduleList(turn);
    return [
      turn.reply({
        intent: 'settings',
        title: turn.t('facilitation:schedule.list.title'),
        text: [noticeText, pending.length ? turn.t('facilitation:schedule.list.text', { count: pending.length }) : turn.t('facilitation:schedule.list.none')].filter(Boolean).join('\n\n'),
        items: pending.map((job) => {
          const module = modules.find((m) => m.id === (job.payload as DiscussionJobPayload).moduleId);
          return {
            title: turn.t('facilitation:menu.item', { order: module?.order ?? '?', title: module?.title ?? '' }),
            text: formatWhen(new Date(job.runAt), turn.lang, zone),
            badge: job.id,
            action: { label: turn.t('facilitation:schedule.list.cancel'), command: 'schedule.cancel', args: { id: job.id } },
          };
        }),
      }),
    ];
  };

  /** Times are read in the facilitator's own zone when known, else the cohort's, else UTC. */
  const zoneOf = async (turn: Turn): Promise<string> => {
    if (turn.learner.timezone) return validTimeZone(turn.learner.timezone);
    if (turn.input.timezone) return validTimeZone(turn.input.timezone);
    return validTimeZone((await cohortOf(turn))?.timeZone);
  };

  const payloadFor = (turn: Turn, module: CourseModule, timeZone: string): DiscussionJobPayload => ({
    channelId: turn.input.channelId,
    conversationId: channelConversation(turn),
    moduleId: module.id,
    lang: turn.lang,
    timeZone,
    facilitatorKey: turn.learner.key,
    facilitatorLang: turn.lang,
    ...(threadlessConversation(turn.input) ? { threadless: true } : {}),
  });

  /** Scheduled unless the same module is already planned at the same instant here (a repeated command schedules nothing twice). */
  const scheduleOnce = async (turn: Turn, module: CourseModule, when: Date, timeZone: string): Promise<string> => {
    const existing = (await deps.jobs.pending(group(turn))).find((j) => (j.payload as DiscussionJobPayload).moduleId === module.id && Date.parse(j.runAt) === when.getTime());
    if (existing) return existing.id;
    return (await deps.jobs.schedule({ kind: DISCUSSION_JOB, group: group(turn), payload: payloadFor(turn, module, timeZone), runAt: when }, turn.now)).id;
  };

  const scheduleOne = async (turn: Turn, moduleRef: string, whenText: string): Promise<Reply[]> => {
    const module = moduleOf(turn, moduleRef);
    if (!module) return notice(turn, 'facilitation:schedule.errors.unknownModule', { count: moduleList(turn).length });
    const zone = await zoneOf(turn);
    const parsed = parseWhen(whenText, zone, turn.now);
    if (!parsed.ok) return notice(turn, 'facilitation:schedule.errors.badTime', { zone });
    if (parsed.at.getTime() <= turn.now.getTime()) return notice(turn, 'facilitation:schedule.errors.past', { when: formatWhen(parsed.at, turn.lang, zone) });
    const id = await scheduleOnce(turn, module, parsed.at, zone);
    return list(turn, turn.t('facilitation:schedule.scheduled', { order: module.order, title: module.title, when: formatWhen(parsed.at, turn.lang, zone), id }));
  };

  /** Each module's discussion on `weekday` of its week in the cohort plan, at `time` in the cohort's zone. */
  const schedulePacing = async (turn: Turn, weekday: number, timeText: string): Promise<Reply[]> => {
    const cohort = await cohortOf(turn);
    if (!cohort) return notice(turn, 'facilitation:schedule.errors.noCohort');
    const zone = validTimeZone(cohort.timeZone);
    // Reuse the time parsing of one date: "<first module's date> <time>".
    const probe = parseWhen(`2000-01-03 ${timeText}`, zone, turn.now);
    if (!probe.ok) return notice(turn, 'facilitation:schedule.errors.badTime', { zone });
    const time = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(probe.at);
    let scheduled = 0;
    let past = 0;
    for (const module of moduleList(turn)) {
      const opens = cohort.plan[module.id];
      if (!opens) continue;
      const when = atLocal(zone, dayOfWeekIn(opens, weekday), time);
      if (when.getTime() <= turn.now.getTime()) {
        past++;
        continue;
      }
      await scheduleOnce(turn, module, when, zone);
      scheduled++;
    }
    if (!scheduled) return notice(turn, 'facilitation:schedule.errors.pacingAllPast');
    return list(turn, [turn.t('facilitation:schedule.pacing', { count: scheduled, zone }), past ? turn.t('facilitation:schedule.pacingPast', { count: past }) : ''].filter(Boolean).join(' '));
  };

  const cancel = async (turn: Turn, id: string): Promise<Reply[]> => {
    const cancelled = id ? await deps.jobs.cancel(id, group(turn), turn.now) : false;
    return list(turn, turn.t(cancelled ? 'facilitation:schedule.cancelled' : 'facilitation:schedule.errors.notCancelled', { id }));
  };

  const guard =
    (action: (turn: Turn) => Promise<Reply[]>) =>
    async (turn: Turn): Promise<Reply[]> => {
      if (turn.input.scope === 'personal') return notice(turn, 'facilitation:schedule.errors.personal');
      if (!(await isFacilitator(turn))) return notice(turn, 'facilitation:schedule.errors.notFacilitator');
      return action(turn);
    };

  registry.add({
    name: 'schedule',
    aliasesKey: 'facilitation:commands.schedule',
    helpKey: 'facilitation:help.schedule',
    takesText: true,
    handler: guard(async (turn) => {
      const words = turn.text.trim().split(/\s+/).filter(Boolean);
      if (!words.length) return list(turn);
      const first = normalizeWhen(words[0]);
      if (CANCEL.has(first)) return cancel(turn, words[1] ?? '');
      if (!DISCUSS.has(first)) return notice(turn, 'facilitation:schedule.errors.usage');
      let rest = words.slice(1);
      if (rest.length && MODULE_WORDS.has(normalizeWhen(rest[0]))) rest = rest.slice(1);
      if (!rest.length) return notice(turn, 'facilitation:schedule.errors.usage');
      const weekday = parseWeekday(rest[0]);
      if (weekday !== undefined && !moduleOf(turn, rest[0])) return schedulePacing(turn, weekday, rest.slice(1).join(' '));
      return scheduleOne(turn, rest[0], rest.slice(1).join(' '));
    }),
  });
  registry.add({
    name: 'schedule.cancel',
    handler: guard((turn) => cancel(turn, turn.args.id ?? '')),
  });
}
