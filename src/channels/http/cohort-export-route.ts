import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { ExportLinks, StoredExport } from '../../core/cohorts/cohort-export';
import type { Logger } from '../../logging/logger';

const querySchema = z.object({ expires: z.string().regex(/^\d{1,15}$/), sig: z.string().regex(/^[0-9a-f]{64}$/) });

/**
 * GET /cohorts/exports/<id>?expires=…&sig=… → a facilitator's cohort CSV. The link is signed
 * and expires after minutes; an unsigned, tampered or expired link is a 404 that reveals nothing.
 */
export function mountCohortExportRoute(server: Server, options: { exports: ExportLinks; render: (link: StoredExport, now: Date) => Promise<{ fileName: string; csv: string } | undefined>; logger: Logger }): void {
  server.get('/cohorts/exports/:id', async (req: Request, res: Response) => {
    const notFound = () => {
      res.status(404);
      res.json({ error: { code: 'export_not_found', message: 'This download link is invalid or has expired' } });
      res.end();
    };
    const query = querySchema.safeParse(Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams));
    if (!query.success) return notFound();
    try {
      const now = new Date();
      const link = await options.exports.open(String(req.params.id ?? ''), query.data.expires, query.data.sig, now);
      const stored = link ? await options.render(link, now) : undefined;
      if (!stored) return notFound();
      const body = Buffer.from(stored.csv, 'utf8');
      res.writeHead(200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Length': body.length,
        'Content-Disposition': `attachment; filename="${stored.fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(stored.fileName)}`,
        'Cache-Control': 'no-store',
      });
      res.write(body);
      res.end();
    } catch (err) {
      options.logger.error({ err }, 'cohort export download failed');
      res.status(500);
      res.json({ error: { code: 'internal_error', message: 'Internal error' } });
      res.end();
    }
  });
}
