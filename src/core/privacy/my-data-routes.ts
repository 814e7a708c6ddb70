import { randomBytes } from 'node:crypto';
import type { CommandRegistry } from '../command-registry';
import type { Action, Reply, ReplyFact } from '../../intents/reply';
import type { Turn } from '../turn';
import { learnerRecordDetails } from './feature-sources';
import { subjectOf } from './personal-data';
import { subjectOfKey, type PrivacyService } from './privacy-service';

export const PRIVACY_SLICE = 'privacy';
/** A confirmation button older than this no longer deletes anything. */
const CONFIRM_TTL_MS = 10 * 60 * 1000;
const AUDIT_EXPORT_DEFAULT_DAYS = 30;

interface PrivacyState {
  /** One-time code of the pending deletion confirmation, so an old or forged button deletes nothing. */
  deleteCode?: string;
  deleteCodeExpiresAt?: string;
  /** An administrator's pending erasure of another learner (learner key), confirmed with `deleteCode`. */
  eraseTarget?: string;
}

/**
 * `my data`: a card with Download and Delete. Download sends a readable summary and a
 * short-lived link to the JSON file; Delete asks once more, then erases the learner from
 * every registered source and lets the coach drop the learner record.
 */
export function registerMyData(registry: CommandRegistry, privacy: PrivacyService): void {
  const personalOnly = (turn: Turn): Reply[] | undefined => (turn.input.scope === 'personal' ? undefined : [turn.reply({ intent: 'notice', text: turn.t('privacy:card.personalOnly') })]);

  registry.add({
    name: 'mydata',
    aliasesKey: 'privacy:commands.myData',
    helpKey: 'privacy:help.myData',
    handler: (turn) =>
      personalOnly(turn) ?? [
        turn.reply({
          intent: 'settings',
          title: turn.t('privacy:card.title'),
          text: [turn.t('privacy:card.text'), turn.t('privacy:notice', { url: privacy.noticeUrl() })].join('\n\n'),
          actions: [
            { label: turn.t('privacy:actions.export'), command: 'mydata.export', style: 'primary' },
            { label: turn.t('privacy:actions.delete'), command: 'mydata.delete' },
          ],
        }),
      ],
  });

  registry.add({
    name: 'mydata.export',
    handler: async (turn) => {
      const refused = personalOnly(turn);
      if (refused) return refused;
      const { url, summary } = await privacy.exportLink(subjectOf(turn.learner), turn.now);
      const facts: ReplyFact[] = summary.map((line) => ({ label: turn.t(line.labelKey), value: String(line.count) }));
      const details = learnerRecordDetails(turn.learner);
      for (const [key, count] of Object.entries(details)) if (count) facts.push({ label: turn.t(`privacy:details.${key}`), value: String(count) });
      return [
        turn.reply({
          intent: 'notice',
          title: turn.t('privacy:export.title'),
          text: turn.t('privacy:export.text', { minutes: privacy.linkMinutes() }),
          facts,
          attachments: [{ name: turn.t('privacy:export.fileName', { date: turn.now.toISOString().slice(0, 10) }), contentType: 'application/json', url }],
          actions: [{ label: turn.t('privacy:actions.delete'), command: 'mydata.delete' }],
        }),
      ];
    },
  });

  registry.add({
    name: 'mydata.delete',
    handler: (turn) => {
      const refused = personalOnly(turn);
      if (refused) return refused;
      const state = turn.slice<PrivacyState>(PRIVACY_SLICE, () => ({}));
      state.deleteCode = randomBytes(9).toString('base64url');
      state.deleteCodeExpiresAt = new Date(turn.now.getTime() + CONFIRM_TTL_MS).toISOString();
      const confirm: Action = { label: turn.t('privacy:actions.confirmDelete'), command: 'mydata.delete.confirm', args: { code: state.deleteCode } };
      return [
        turn.reply({
          intent: 'settings',
          title: turn.t('privacy:delete.title'),
          text: turn.t('privacy:delete.text'),
          actions: [confirm, { label: turn.t('privacy:actions.cancel'), command: 'mydata.delete.cancel', style: 'primary' }, { label: turn.t('privacy:actions.export'), command: 'mydata.export' }],
        }),
      ];
    },
  });

  registry.add({
    name: 'mydata.delete.confirm',
    handler: async (turn) => {
      const refused = personalOnly(turn);
      if (refused) return refused;
      const state = turn.learner.data[PRIVACY_SLICE] as PrivacyState | undefined;
      const valid = state?.deleteCode && turn.args.code === state.deleteCode && Date.parse(state.deleteCodeExpiresAt ?? '') > turn.now.getTime();
      if (!valid) return [turn.reply({ intent: 'notice', text: turn.t('privacy:delete.expired'), actions: [{ label: turn.t('privacy:actions.myData'), command: 'mydata' }] })];
      await privacy.erase(subjectOf(turn.learner), turn.learner.key, turn.now);
      turn.forget();
      return [turn.reply({ intent: 'notice', text: turn.t('privacy:delete.done') })];
    },
  });

  registry.add({
    name: 'mydata.delete.cancel',
    handler: (turn) => {
      delete turn.learner.data[PRIVACY_SLICE];
      return [turn.reply({ intent: 'notice', text: turn.t('privacy:delete.cancelled'), actions: [{ label: turn.t('common:actions.help'), command: 'help' }] })];
    },
  });

  // Administrators only: erasure of another learner on request (received by e-mail or post), audited.
  registry.add({
    name: 'admin.erase',
    aliasesKey: 'privacy:commands.adminErase',
    takesText: true,
    handler: async (turn) => {
      if (!privacy.isAdmin(turn.learner.key)) return [turn.reply({ intent: 'notice', text: turn.t('privacy:audit.notAdmin') })];
      const refused = personalOnly(turn);
      if (refused) return refused;
      const id = (turn.args.learner ?? turn.text).trim();
      const subject = subjectOfKey(`learner:${id}`);
      if (!subject) return [turn.reply({ intent: 'notice', text: turn.t('privacy:adminErase.usage') })];
      const count = await privacy.recordCount(subject, turn.now);
      if (!count) return [turn.reply({ intent: 'notice', text: turn.t('privacy:adminErase.unknown', { id }) })];
      const state = turn.slice<PrivacyState>(PRIVACY_SLICE, () => ({}));
      state.deleteCode = randomBytes(9).toString('base64url');
      state.deleteCodeExpiresAt = new Date(turn.now.getTime() + CONFIRM_TTL_MS).toISOString();
      state.eraseTarget = subject.learnerKey;
      return [
        turn.reply({
          intent: 'settings',
          title: turn.t('privacy:adminErase.title'),
          text: turn.t('privacy:adminErase.text', { id, count }),
          actions: [
            { label: turn.t('privacy:adminErase.confirm'), command: 'admin.erase.confirm', args: { code: state.deleteCode } },
            { label: turn.t('privacy:actions.cancel'), command: 'mydata.delete.cancel', style: 'primary' },
          ],
        }),
      ];
    },
  });

  registry.add({
    name: 'admin.erase.confirm',
    handler: async (turn) => {
      if (!privacy.isAdmin(turn.learner.key)) return [turn.reply({ intent: 'notice', text: turn.t('privacy:audit.notAdmin') })];
      const state = turn.learner.data[PRIVACY_SLICE] as PrivacyState | undefined;
      const subject = state?.eraseTarget ? subjectOfKey(state.eraseTarget) : undefined;
      const valid = subject && state?.deleteCode && turn.args.code === state.deleteCode && Date.parse(state.deleteCodeExpiresAt ?? '') > turn.now.getTime();
      if (!valid) return [turn.reply({ intent: 'notice', text: turn.t('privacy:delete.expired') })];
      delete turn.learner.data[PRIVACY_SLICE];
      await privacy.erase(subject, turn.learner.key, turn.now);
      if (subject.learnerKey === turn.learner.key) turn.forget();
      return [turn.reply({ intent: 'notice', text: turn.t('privacy:adminErase.done') })];
    },
  });

  // Administrators only; not listed by help. "audit log 90" covers the last 90 days.
  registry.add({
    name: 'audit.export',
    aliasesKey: 'privacy:commands.auditExport',
    takesText: true,
    handler: async (turn) => {
      if (!privacy.isAdmin(turn.learner.key)) return [turn.reply({ intent: 'notice', text: turn.t('privacy:audit.notAdmin') })];
      const refused = personalOnly(turn);
      if (refused) return refused;
      const typed = Number.parseInt(turn.args.days ?? turn.text, 10);
      const days = Number.isInteger(typed) && typed > 0 && typed <= 3660 ? typed : AUDIT_EXPORT_DEFAULT_DAYS;
      const { url, count } = await privacy.auditExportLink(turn.learner.key, days, turn.now);
      return [
        turn.reply({
          intent: 'notice',
          title: turn.t('privacy:audit.title'),
          text: turn.t('privacy:audit.text', { days, count, minutes: privacy.linkMinutes() }),
          attachments: [{ name: turn.t('privacy:audit.fileName', { date: turn.now.toISOString().slice(0, 10) }), contentType: 'application/json', url }],
        }),
      ];
    },
  });
}
