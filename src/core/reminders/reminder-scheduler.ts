import type { Language } from '../../config/config-schema';
import { directionOf, type Localizer } from '../../i18n/i18n';
import { newCorrelationId, withCorrelation } from '../../logging/correlation';
import type { Logger } from '../../logging/logger';
import type { MetricsPort } from '../../ports/metrics';
import type { ProactivePort } from '../../ports/proactive';
import { StorageConflictError, type StoragePort } from '../../ports/storage';
import type { CommandRegistry } from '../command-registry';
import type { LearnerRecord } from '../learner';
import { PeriodicWorker } from '../periodic-pass';
import type { Action, Reply } from '../../intents/reply';
import { MAX_IGNORED_NUDGES, REMINDER_PREFIX, type ReminderDocument } from './reminder-document';
import { nextOccurrence } from './reminder-time';

export interface ReminderSchedulerOptions {
  storage: StoragePort;
  proactive: ProactivePort;
  localizer: Localizer;
  registry: CommandRegistry;
  logger: Logger;
  defaultLanguage: Language;
  /** A nudge more than this late (the service was down) is skipped rather than sent at an odd hour. */
  maxLatenessMs?: number;
  metrics?: MetricsPort;
}

export interface TickReport {
  sent: number;
  stopped: number;
  skipped: number;
}

const PAGE = 500;
const DEFAULT_MAX_LATENESS_MS = 2 * 60 * 60 * 1000;

/**
 * Sends due daily nudges. Safe with several instances: each due reminder is claimed with a
 * conditional (etag) write before anything is sent, so exactly one instance sends it.
 */
export class ReminderScheduler extends PeriodicWorker<TickReport> {
  constructor(private readonly options: ReminderSchedulerOptions) {
    super(
      (err) => {
        options.logger.error({ err }, 'reminder pass failed');
        return { sent: 0, stopped: 0, skipped: 0 };
      },
      // One correlation id per pass: its log lines and proactive sends can be followed together.
      { around: (run) => withCorrelation(newCorrelationId(), run) },
    );
  }

  protected async pass(now: Date): Promise<TickReport> {
    const report: TickReport = { sent: 0, stopped: 0, skipped: 0 };
    let startAfter: string | undefined;
    for (;;) {
      const keys = await this.options.storage.list(REMINDER_PREFIX, { limit: PAGE, startAfter });
      for (const key of keys) {
        try {
          const outcome = await this.handle(key, now);
          if (outcome) report[outcome]++;
        } catch (err) {
          this.options.logger.error({ err, key }, 'reminder failed');
        }
      }
      if (keys.length < PAGE) {
        this.options.metrics?.jobsDue('reminders', report.sent + report.stopped + report.skipped);
        return report;
      }
      startAfter = keys[keys.length - 1];
    }
  }

  private async handle(key: string, now: Date): Promise<keyof TickReport | undefined> {
    const { storage, logger } = this.options;
    const stored = await storage.read<ReminderDocument>(key);
    if (!stored?.value.active || Date.parse(stored.value.nextDueAt) > now.getTime()) return undefined;
    const doc = stored.value;
    this.options.metrics?.jobLag('reminders', Math.max(0, now.getTime() - Date.parse(doc.nextDueAt)) / 1000);
    const learner = (await storage.read<LearnerRecord>(doc.learnerKey))?.value;
    const reacted = !doc.lastSentAt || (learner !== undefined && learner.updatedAt > doc.lastSentAt);
    const ignored = doc.lastSentAt ? (reacted ? 0 : doc.ignored + 1) : 0;
    const nextDueAt = nextOccurrence(doc.time, doc.timeZone, now).toISOString();
    const late = now.getTime() - Date.parse(doc.nextDueAt) > (this.options.maxLatenessMs ?? DEFAULT_MAX_LATENESS_MS);

    let claimed: ReminderDocument;
    if (ignored >= MAX_IGNORED_NUDGES) claimed = { ...doc, active: false, stoppedBecause: 'ignored', ignored, updatedAt: now.toISOString() };
    else if (late) claimed = { ...doc, nextDueAt, updatedAt: now.toISOString() };
    else claimed = { ...doc, nextDueAt, lastSentAt: now.toISOString(), ignored, updatedAt: now.toISOString() };
    try {
      await storage.write(key, claimed, { ifMatch: stored.etag });
    } catch (err) {
      if (err instanceof StorageConflictError) return undefined; // another instance claimed it, or the learner changed it
      throw err;
    }
    if (!claimed.active) {
      logger.info({ key, ignored }, 'reminders stopped after ignored nudges');
      return 'stopped';
    }
    if (late) return 'skipped';

    const outcome = await this.options.proactive.sendToLearner(doc.learnerKey, [this.nudge(learner?.language ?? doc.language, ignored === MAX_IGNORED_NUDGES - 1)]);
    if (outcome === 'sent') return 'sent';
    logger.warn({ key, outcome }, 'reminder not delivered');
    if (outcome === 'inactive') await this.deactivate(key, now);
    return 'skipped';
  }

  private async deactivate(key: string, now: Date): Promise<void> {
    const stored = await this.options.storage.read<ReminderDocument>(key);
    if (!stored) return;
    try {
      await this.options.storage.write(key, { ...stored.value, active: false, stoppedBecause: 'unreachable', updatedAt: now.toISOString() }, { ifMatch: stored.etag });
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
    }
  }

  private nudge(language: Language | undefined, last: boolean): Reply {
    const lang = language ?? this.options.defaultLanguage;
    const t = this.options.localizer.forLanguage(lang);
    const text = [t('reminders:nudge.text'), last ? t('reminders:nudge.last') : ''].filter(Boolean).join('\n\n');
    const actions: Action[] = [];
    if (this.options.registry.get('start')) actions.push({ label: t('reminders:nudge.continue'), command: 'start', style: 'primary' });
    actions.push({ label: t('reminders:nudge.stop'), command: 'reminders.stop' });
    return { intent: 'notice', lang, dir: directionOf(lang), title: t('reminders:nudge.title'), text, actions, summary: t('reminders:nudge.title') };
  }
}
