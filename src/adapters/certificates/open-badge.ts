import type { Translate } from '../../i18n/i18n';
import type { CertificateRecord } from '../../ports/certificates';
import { certificateScope } from './certificate-scope';

/**
 * An Open Badges 3.0 OpenBadgeCredential for a certificate. It is not signed (no `proof`):
 * its authenticity is checked at the issuer's verification URL.
 */
export function buildOpenBadgeCredential(record: CertificateRecord, links: { verify: string; openBadge: string }, t: Translate): Record<string, unknown> {
  // Without ORG_NAME / ORG_URL the badge says no organisation is configured, and names this server as the issuer's address.
  const org = record.issuer.name ?? t('common:organisation.notConfigured');
  const issuerUrl = record.issuer.url ?? new URL(links.verify).origin;
  const vars = { course: record.courseTitle, org };
  const scope = certificateScope(record, t);
  const description = [t('course:certificate.document.badgeDescription', vars), scope.duration, scope.modules].filter(Boolean).join(' ');
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `urn:uuid:${record.id}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${t('course:certificate.document.heading')}: ${record.courseTitle}`,
    description: t('course:certificate.document.badgeDescription', vars),
    issuer: { id: issuerUrl, type: ['Profile'], name: org, url: issuerUrl },
    validFrom: record.issuedAt,
    awardedDate: record.issuedAt,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', hashed: false, identityHash: record.learnerName, identityType: 'name' }],
      activityEndDate: record.completedAt,
      achievement: {
        id: `urn:govai-coach:course:${record.courseId}`,
        type: ['Achievement'],
        achievementType: 'CertificateOfCompletion',
        name: record.courseTitle,
        description,
        criteria: { narrative: t('course:certificate.document.criteria') },
        inLanguage: record.lang,
        // Open Badges 3.0 Achievement fields: the learning time in hours, and the parts completed.
        ...(record.estimatedMinutes !== undefined ? { creditsAvailable: Math.round((record.estimatedMinutes / 60) * 10) / 10 } : {}),
        ...(record.modules?.length ? { tag: record.modules } : {}),
      },
    },
    evidence: [{ id: links.verify, type: ['Evidence'], name: t('course:certificate.document.verification', { id: record.id }) }],
  };
}
