import type { Language } from '../../config/config-schema';
import { directionOf, type Translate } from '../../i18n/i18n';
import type { CertificateRecord, IssuedCertificate, RevokedCertificateRecord } from '../../ports/certificates';
import { escapeHtml } from './html-escape';

/** No scripts, no outside resources: the page is a plain document a verifier can print. */
export const CERTIFICATE_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export type CertificateStatus =
  | { kind: 'valid'; record: CertificateRecord; links: IssuedCertificate['links'] }
  | { kind: 'revoked'; record: RevokedCertificateRecord }
  | { kind: 'unknown'; id: string };

/**
 * The verification page a person sees when they open a certificate's link in a browser: who
 * holds it, for which course, from which organisation, and whether it is still valid.
 */
export function certificatePage(status: CertificateStatus, t: Translate, lang: Language): string {
  const date = (iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
  const org = (issuer: { name?: string }) => issuer.name ?? t('common:organisation.notConfigured');
  const row = (label: string, value: string) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
  let verdict: string;
  let rows: string[];
  let links = '';
  switch (status.kind) {
    case 'valid': {
      const { record } = status;
      verdict = `<p class="verdict valid" role="status">${escapeHtml(t('course:certificate.page.valid'))}</p>`;
      rows = [
        row(t('course:certificate.name'), record.learnerName),
        row(t('course:certificate.course'), record.courseTitle),
        row(t('course:certificate.page.completed'), date(record.completedAt)),
        row(t('course:certificate.issued'), date(record.issuedAt)),
        row(t('course:certificate.issuer'), org(record.issuer)),
        row(t('course:certificate.id'), record.id),
      ];
      const link = (href: string, label: string) => `<li><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></li>`;
      links = `<h2>${escapeHtml(t('course:certificate.page.downloads'))}</h2><ul>${[
        link(status.links.pdf, t('course:certificate.pdf')),
        link(status.links.openBadge, t('course:certificate.openBadge')),
        link(status.links.signedOpenBadge, t('course:certificate.page.signed')),
      ].join('')}</ul>`;
      break;
    }
    case 'revoked': {
      const { record } = status;
      const reason = record.revoked.reason === 'issuer' ? t('course:certificate.page.revokedByIssuer') : t('course:certificate.page.revokedByHolder');
      verdict = `<p class="verdict revoked" role="status">${escapeHtml(t('course:certificate.page.revoked', { date: date(record.revoked.at) }))} ${escapeHtml(reason)}</p>`;
      rows = [
        row(t('course:certificate.course'), record.courseTitle),
        row(t('course:certificate.issued'), date(record.issuedAt)),
        row(t('course:certificate.issuer'), org(record.issuer)),
        row(t('course:certificate.id'), record.id),
      ];
      break;
    }
    case 'unknown':
      verdict = `<p class="verdict revoked" role="status">${escapeHtml(t('course:certificate.page.unknown'))}</p>`;
      rows = [row(t('course:certificate.id'), status.id)];
      break;
  }
  const title = t('course:certificate.page.title');
  return `<!doctype html>
<html lang="${lang}" dir="${directionOf(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: start; padding: .4rem .6rem; border-bottom: 1px solid #ccc; vertical-align: top; }
.verdict { font-size: 1.2rem; font-weight: 600; padding: .6rem .8rem; border-radius: .3rem; }
.valid { background: #e3f4e8; color: #0b5d24; }
.revoked { background: #fbe4e4; color: #8a1414; }
.note { font-size: .9rem; color: #444; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${verdict}
<table>${rows.join('')}</table>
${links}
<p class="note">${escapeHtml(t('course:certificate.notOfficial'))}</p>
</main>
</body>
</html>
`;
}
