import type { Request, Response, Server } from 'restify';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { CertificateStore } from '../../adapters/certificates/certificate-store';
import type { CredentialSigner } from '../../adapters/certificates/credential-signer';
import type { Language } from '../../config/config-schema';
import { certificatePage, CERTIFICATE_PAGE_POLICY } from './certificate-page';
import { renderCertificatePdf } from '../../adapters/certificates/certificate-pdf';
import { buildOpenBadgeCredential } from '../../adapters/certificates/open-badge';

export interface CertificatesRouteOptions {
  certificates: CertificateStore;
  /** Opened after storage (the default key lives there); rejects when the configured key is unusable. */
  signer: () => Promise<CredentialSigner>;
  localizer: Localizer;
  defaultLanguage: Language;
  logger: Logger;
}

/**
 * Public verification of certificates:
 * - GET /certificates/<id>      → a readable page for a browser (Accept: text/html), else
 *                                 {valid, id, learnerName, course, ...}; revoked: 410; unknown: 404
 * - GET /certificates/<id>.pdf  → the PDF certificate
 * - GET /certificates/<id>.json → the Open Badges 3.0 credential
 * - GET /certificates/<id>.jwt  → the same credential signed (VC-JWT, application/vc+jwt)
 * - GET /.well-known/jwks.json  → the public key that verifies the signature
 */
export function mountCertificatesRoute(server: Server, options: CertificatesRouteOptions): void {
  server.get('/.well-known/jwks.json', async (_req: Request, res: Response) => {
    try {
      const body = JSON.stringify((await options.signer()).jwks());
      res.writeHead(200, { 'Content-Type': 'application/jwk-set+json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'public, max-age=3600' });
      res.end(body);
    } catch (err) {
      options.logger.error({ err }, 'certificate signing key unavailable');
      res.status(503);
      res.json({ error: { code: 'signing_key_unavailable', message: 'The certificate signing key is not available' } });
    }
  });

  server.get('/certificates/:id', async (req: Request, res: Response) => {
    const raw = String(req.params.id ?? '');
    const dot = raw.lastIndexOf('.');
    const suffix = dot > 0 ? raw.slice(dot + 1) : '';
    const format = suffix === 'pdf' || suffix === 'json' || suffix === 'jwt' ? suffix : undefined;
    const id = (format ? raw.slice(0, dot) : raw).toLowerCase();
    const wantsPage = !format && prefersHtml(req.header('accept'));
    try {
      const record = await options.certificates.find(id);
      const revoked = record ? undefined : await options.certificates.revocation(id);
      if (!record) {
        const lang = revoked?.lang ?? options.defaultLanguage;
        if (wantsPage) return sendPage(res, revoked ? 410 : 404, certificatePage(revoked ? { kind: 'revoked', record: revoked } : { kind: 'unknown', id: raw.slice(0, 100) }, options.localizer.forLanguage(lang), lang));
        if (revoked) {
          // 410: the certificate existed; it was withdrawn, and nobody is named any more.
          const reason = revoked.revoked.reason === 'issuer' ? 'revoked by the issuer' : "revoked at the holder's request";
          res.status(410);
          res.json({ valid: false, revoked: true, id: revoked.id, course: revoked.courseTitle, issuedAt: revoked.issuedAt, issuer: revoked.issuer, revokedAt: revoked.revoked.at, reason });
          res.end();
          return;
        }
        res.status(404);
        res.json({ valid: false, error: { code: 'certificate_not_found', message: 'No certificate has this id' } });
        res.end();
        return;
      }
      const links = options.certificates.links(record.id);
      const t = options.localizer.forLanguage(record.lang);
      if (format === 'pdf') {
        const pdf = await renderCertificatePdf(record, t, { verifyUrl: links.verify, lang: record.lang });
        res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': pdf.length, 'Content-Disposition': `inline; filename="certificate-${record.id}.pdf"` });
        res.write(pdf);
        res.end();
        return;
      }
      if (format === 'json' || format === 'jwt') {
        const credential = buildOpenBadgeCredential(record, links, t);
        const body = format === 'json' ? JSON.stringify(credential, null, 2) : (await options.signer()).signCredential(credential);
        res.writeHead(200, { 'Content-Type': format === 'json' ? 'application/ld+json; charset=utf-8' : 'application/vc+jwt', 'Content-Length': Buffer.byteLength(body) });
        res.write(body);
        res.end();
        return;
      }
      if (wantsPage) return sendPage(res, 200, certificatePage({ kind: 'valid', record, links }, t, record.lang));
      res.status(200);
      res.json({
        valid: true,
        id: record.id,
        learnerName: record.learnerName,
        course: record.courseTitle,
        issuedAt: record.issuedAt,
        completedAt: record.completedAt,
        issuer: record.issuer,
        official: false,
        note: 'Certificate of completion issued by the organisation named as issuer; not the official UNESCO / University of Oxford certificate.',
        links,
      });
      res.end();
      return;
    } catch (err) {
      options.logger.error({ err, certificateId: id }, 'certificate lookup failed');
      res.status(500);
      res.json({ valid: false, error: { code: 'internal_error', message: 'Internal error' } });
      res.end();
      return;
    }
  });
}

/** A browser asks for text/html before JSON; API clients send application/json or nothing. */
function prefersHtml(accept: string | undefined): boolean {
  const types = (accept ?? '').toLowerCase().split(',').map((part) => part.split(';')[0]!.trim());
  const html = types.indexOf('text/html');
  const json = types.findIndex((type) => type === 'application/json' || type === 'application/ld+json');
  return html >= 0 && (json < 0 || html < json);
}

function sendPage(res: Response, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Content-Security-Policy': CERTIFICATE_PAGE_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(html);
}
