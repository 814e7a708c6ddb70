import type { CertificateIssuer } from '../../ports/certificates';
import type { CommandRegistry } from '../command-registry';
import type { AuditRecorder } from '../privacy/audit-log';
import { literal } from '../markdown-literal';

export interface CertificateRevocationDeps {
  certificates: CertificateIssuer;
  /** ADMINS (see the privacy service): only they may withdraw a certificate. */
  isAdmin: (learnerKey: string) => boolean;
  audit: AuditRecorder;
}

const CERTIFICATE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `certificate revoke <id>`: an administrator withdraws a certificate (issued by mistake, or
 * obtained dishonestly). Its verification page and JSON then say it is revoked; the audit log
 * records who did it.
 */
export function registerCertificateRevocation(registry: CommandRegistry, deps: CertificateRevocationDeps): void {
  registry.add({
    name: 'certificate.revoke',
    aliasesKey: 'course:commands.certificateRevoke',
    takesText: true,
    handler: async (turn) => {
      const notice = (text: string) => [turn.reply({ intent: 'notice', text, personal: true })];
      if (!deps.isAdmin(turn.learner.key)) return notice(turn.t('course:certificate.revoke.notAdmin'));
      const id = turn.text.trim().toLowerCase();
      if (!CERTIFICATE_ID.test(id)) return notice(turn.t('course:certificate.revoke.usage'));
      const outcome = await deps.certificates.revoke(id, turn.now);
      if (outcome === 'revoked') await deps.audit.record({ actor: turn.learner.key, action: 'certificate.revoke', detail: { certificate: id }, at: turn.now });
      return notice(turn.t(`course:certificate.revoke.${outcome}`, { id: literal(id) }));
    },
  });
}
