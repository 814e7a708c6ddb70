import type { Request, Response, Server } from 'restify';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { Language } from '../../config/config-schema';
import type { CertificateDocuments, CertificateLookup } from '../../ports/certificates';
import { certificatePage, CERTIFICATE_PAGE_POLICY } from './certificate-page';
import { guardedRoute } from './guarded-route';
import { HttpError } from './http-errors';

export interface CertificatesRouteOptions {
  certificates: CertificateLookup;
  documents: CertificateDocuments;
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
  server.get(
    '/.well-known/jwks.json',
    guardedRoute({ logger: options.logger, failure: 'JWKS request failed' }, async (_req: Request, res: Response) => {
      const body = await options.documents.jwks().catch((err: unknown) => {
        options.logger.error({ err }, 'certificate signing key unavailable');
        throw new HttpError(503, 'signing_key_unavailable', 'The certificate signing key is not available');
      });
      res.writeHead(200, { 'Content-Type': 'application/jwk-set+json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'public, max-age=3600' });
      res.end(body);
    }),
  );

  const idOf = (req: Request) => {
    const raw = String(req.params.id ?? '');
    const dot = raw.lastIndexOf('.');
    const suffix = dot > 0 ? raw.slice(dot + 1) : '';
    const format = suffix === 'pdf' || suffix === 'json' || suffix === 'jwt' ? suffix : undefined;
    return { raw, format, id: (format ? raw.slice(0, dot) : raw).toLowerCase() };
  };
  const guard = { logger: options.logger, failure: 'certificate lookup failed', context: (req: Request) => ({ certificateId: idOf(req).id }), errorBody: { valid: false } };
  server.get(
    '/certificates/:id',
    guardedRoute(guard, async (req: Request, res: Response) => {
      const { raw, format, id } = idOf(req);
      const wantsPage = !format && prefersHtml(req.header('accept'));
      const record = await options.certificates.find(id);
      if (!record) {
        const revoked = await options.certificates.revocation(id);
        const lang = revoked?.lang ?? options.defaultLanguage;
        if (wantsPage)
          return sendPage(
            res,
            revoked ? 410 : 404,
            certificatePage(revoked ? { kind: 'revoked', record: revoked } : { kind: 'unknown', id: raw.slice(0, 100) }, options.localizer.forLanguage(lang), lang),
          );
        if (!revoked) throw new HttpError(404, 'certificate_not_found', 'No certificate has this id');
        // 410: the certificate existed; it was withdrawn, and nobody is named any more.
        const reason = revoked.revoked.reason === 'issuer' ? 'revoked by the issuer' : "revoked at the holder's request";
        res.status(410);
        res.json({ valid: false, revoked: true, id: revoked.id, course: revoked.courseTitle, issuedAt: revoked.issuedAt, issuer: revoked.issuer, revokedAt: revoked.revoked.at, reason });
        res.end();
        return;
      }
      if (format === 'pdf') {
        const pdf = await options.documents.pdf(record);
        res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': pdf.length, 'Content-Disposition': `inline; filename="certificate-${record.id}.pdf"` });
        res.write(pdf);
        res.end();
        return;
      }
      if (format === 'json' || format === 'jwt') {
        const body = await options.documents.openBadge(record, format);
        res.writeHead(200, { 'Content-Type': format === 'json' ? 'application/ld+json; charset=utf-8' : 'application/vc+jwt', 'Content-Length': Buffer.byteLength(body) });
        res.write(body);
        res.end();
        return;
      }
      const links = options.certificates.links(record.id);
      if (wantsPage) return sendPage(res, 200, certificatePage({ kind: 'valid', record, links }, options.localizer.forLanguage(record.lang), record.lang));
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
    }),
  );
}

/** A browser asks for text/html before JSON; API clients send application/json or nothing. */
function prefersHtml(accept: string | undefined): boolean {
  const types = (accept ?? '')
    .toLowerCase()
    .split(',')
    .map((part) => part.split(';')[0]!.trim());
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
