import type { Request, Response, Server } from 'restify';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { CertificateStore } from '../../adapters/certificates/certificate-store';
import { renderCertificatePdf } from '../../adapters/certificates/certificate-pdf';
import { buildOpenBadgeCredential } from '../../adapters/certificates/open-badge';

export interface CertificatesRouteOptions {
  certificates: CertificateStore;
  localizer: Localizer;
  logger: Logger;
}

/**
 * Public verification of certificates:
 * - GET /certificates/<id>      → {valid, id, learnerName, course, issuedAt, completedAt, issuer, links} or 404
 * - GET /certificates/<id>.pdf  → the PDF certificate
 * - GET /certificates/<id>.json → the Open Badges 3.0 credential
 */
export function mountCertificatesRoute(server: Server, options: CertificatesRouteOptions): void {
  server.get('/certificates/:id', async (req: Request, res: Response) => {
    const raw = String(req.params.id ?? '');
    const match = /^(.+?)(?:\.(pdf|json))?$/.exec(raw);
    const id = match?.[1] ?? '';
    const format = match?.[2];
    try {
      const record = await options.certificates.find(id.toLowerCase());
      const revoked = record ? undefined : await options.certificates.revocation(id.toLowerCase());
      if (revoked) {
        // 410: the certificate existed; its holder had it erased, so nobody is named any more.
        res.status(410);
        res.json({ valid: false, revoked: true, id: revoked.id, course: revoked.courseTitle, issuedAt: revoked.issuedAt, issuer: revoked.issuer, revokedAt: revoked.revoked.at, reason: "revoked at the holder's request" });
        res.end();
        return;
      }
      if (!record) {
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
      if (format === 'json') {
        const body = JSON.stringify(buildOpenBadgeCredential(record, links, t), null, 2);
        res.writeHead(200, { 'Content-Type': 'application/ld+json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.write(body);
        res.end();
      return;
      }
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
