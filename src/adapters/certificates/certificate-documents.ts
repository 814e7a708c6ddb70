import type { Localizer } from '../../i18n/i18n';
import type { CertificateDocuments, CertificateLookup, CertificateRecord } from '../../ports/certificates';
import { renderCertificatePdf } from './certificate-pdf';
import type { CredentialSigner } from './credential-signer';
import { buildOpenBadgeCredential } from './open-badge';

/** The PDF and Open Badges files of a certificate, in its own language, with its public links. */
export function certificateDocuments(options: { lookup: CertificateLookup; localizer: Localizer; signer: () => Promise<CredentialSigner> }): CertificateDocuments {
  const t = (record: CertificateRecord) => options.localizer.forLanguage(record.lang);
  return {
    pdf: (record) => renderCertificatePdf(record, t(record), { verifyUrl: options.lookup.links(record.id).verify, lang: record.lang }),
    openBadge: async (record, format) => {
      const credential = buildOpenBadgeCredential(record, options.lookup.links(record.id), t(record));
      return format === 'json' ? JSON.stringify(credential, null, 2) : (await options.signer()).signCredential(credential);
    },
    jwks: async () => JSON.stringify((await options.signer()).jwks()),
  };
}
