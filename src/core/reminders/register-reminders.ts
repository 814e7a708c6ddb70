import type { StoragePort } from '../../ports/storage';
import type { CommandRegistry } from '../command-registry';
import type { Action, Reply } from '../../intents/reply';
import type { Turn } from '../turn';
import { reminderKey, type ReminderDocument } from './reminder-document';
import { nextOccurrence, parseReminderTime, validTimeZone } from './reminder-time';

/** Times offered as buttons; any other time can be typed ("remind me at 06:45"). */
const SUGGESTED_TIMES = ['07:30', '08:30', '12:30', '17:30'];

/**
 * `reminders` (choose a time, or "remind me at 08:30") and `stop reminders`. The reminder is its
 * own document so that the scheduler can claim due ones without touching learner records.
 */
export function registerReminders(registry: CommandRegistry, storage: StoragePort): void {
  registry.add({
    name: 'reminders',
    aliasesKey: 'reminders:commands.reminders',
    helpKey: 'reminders:help.reminders',
    takesText: true,
    handler: async (turn): Promise<Reply[]> => {
      const t = turn.t;
      const zone = validTimeZone(turn.learner.timezone);
      const wanted = turn.args.time ?? turn.text;
      const time = wanted ? parseReminderTime(wanted) : undefined;
      if (wanted && !time) {
        return [turn.reply({ intent: 'settings', personal: true, title: t('reminders:choose.title'), text: t('reminders:set.badTime'), actions: timeActions() })];
      }
      const key = reminderKey(turn.learner.key);
      if (!time) {
        const current = (await storage.read<ReminderDocument>(key))?.value;
        const active = current?.active ? current : undefined;
        const text = [t('reminders:choose.text', { zone }), active ? t('reminders:choose.current', { time: active.time, zone: active.timeZone }) : ''].filter(Boolean).join('\n\n');
        const actions = [...timeActions(), ...(active ? [stopAction(turn)] : [])];
        return [turn.reply({ intent: 'settings', personal: true, title: t('reminders:choose.title'), text, actions })];
      }
      const doc: ReminderDocument = {
        learnerKey: turn.learner.key,
        time,
        timeZone: zone,
        language: turn.lang,
        active: true,
        nextDueAt: nextOccurrence(time, zone, turn.now).toISOString(),
        ignored: 0,
        updatedAt: turn.now.toISOString(),
      };
      await storage.write(key, doc);
      return [
        turn.reply({
          intent: 'settings',
          personal: true,
          title: t('reminders:set.title'),
          text: t('reminders:set.text', { time, zone }),
          actions: [...continueAction(registry, turn), stopAction(turn)],
        }),
      ];
    },
  });

  registry.add({
    name: 'reminders.stop',
    aliasesKey: 'reminders:commands.stop',
    helpKey: 'reminders:help.stop',
    handler: async (turn): Promise<Reply[]> => {
      const t = turn.t;
      const key = reminderKey(turn.learner.key);
      const stored = await storage.read<ReminderDocument>(key);
      if (!stored?.value.active) return [turn.reply({ intent: 'settings', personal: true, text: t('reminders:stopped.notActive'), actions: [...continueAction(registry, turn), chooseAction(turn)] })];
      await storage.write(key, { ...stored.value, active: false, stoppedBecause: 'learner', updatedAt: turn.now.toISOString() } satisfies ReminderDocument);
      return [
        turn.reply({ intent: 'settings', personal: true, title: t('reminders:stopped.title'), text: t('reminders:stopped.text'), actions: [...continueAction(registry, turn), chooseAction(turn)] }),
      ];
    },
  });
}

function timeActions(): Action[] {
  return SUGGESTED_TIMES.map((time) => ({ label: time, command: 'reminders', args: { time } }));
}

/** Every reminder card leads back to the course (when the course feature is there). */
function continueAction(registry: CommandRegistry, turn: Turn): Action[] {
  return registry.get('start') ? [{ label: turn.t('reminders:nudge.continue'), command: 'start', style: 'primary' }] : [];
}

/** Reminders off: turning them back on is one press away. */
function chooseAction(turn: Turn): Action {
  return { label: turn.t('reminders:choose.title'), command: 'reminders' };
}

function stopAction(turn: Turn): Action {
  return { label: turn.t('reminders:choose.off'), command: 'reminders.stop' };
}
