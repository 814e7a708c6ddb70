import type { CommandRegistry } from '../command-registry';
import type { Reply } from '../../intents/reply';
import { quickActions } from './help';

/** Welcome when the bot is installed or added to a conversation. */
export function registerWelcome(registry: CommandRegistry, orgName: string | undefined, privacyNoticeUrl?: () => string): void {
  registry.onEvent('installed', (turn): Reply[] => {
    const t = turn.t;
    const personal = turn.input.scope === 'personal';
    return [
      turn.reply({
        intent: 'welcome',
        title: t('common:welcome.title'),
        text: [
          t('common:welcome.text', { org: orgName ?? t('common:organisation.notConfigured') }),
          personal ? t('common:welcome.personal') : t('common:welcome.group'),
          privacyNoticeUrl && t('privacy:notice', { url: privacyNoticeUrl() }),
        ]
          .filter(Boolean)
          .join('\n\n'),
        // Help last: it lists every command, so nothing needs to be known in advance.
        actions: [...quickActions(turn, registry), { label: t('common:actions.help'), command: 'help' }],
      }),
    ];
  });
}
