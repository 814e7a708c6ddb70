import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { ExportLinks, StoredExport } from '../../core/cohorts/cohort-export';
import type { Logger } from '../../logging/logger';
import { guardedRoute } from './guarded-route';
import { HttpError } from './http-errors';

const querySchema = z.object({ expires: z.string().regex(/^\d{1,15}$/), sig: z.string().regex(/^[0-9a-f]{64}$/) });

export interface CohortExportFiles {
  exports: ExportLinks;
  render: (link: StoredExport, now: Date) => Promise<{ fileName: string; csv: string } | undefined>;
}

/** "/cohorts/exports/<id>" of a signed export link. */
const EXPORT_PATH = /^\/cohorts\/exports\/([\w-]{1,64})$/;

/**
 * The CSV behind one of this server's signed export links, while the link is valid: for the
 * download route, and for channels that deliver the file itself (Slack files.uploadV2).
 */
export async function exportBehindLink(href: string, files: CohortExportFiles, now: Date): Promise<{ fileName: string; csv: string } | undefined> {
  const url = new URL(href, 'http://localhost');
  const id = EXPORT_PATH.exec(url.pathname)?.[1];
  const query = querySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!id || !query.success) return undefined;
  const link = await files.exports.open(id, query.data.expires, query.data.sig, now);
  return link ? files.render(link, now) : undefined;
}

/**
 * GET /cohorts/exports/<id>?expires=…&sig=… → a facilitator's cohort CSV. The link is signed
 * and expires after minutes; an unsigned, tampered or expired link is a 404 that reveals nothing.
 */
export function mountCohortExportRoute(server: Server, options: CohortExportFiles & { logger: Logger }): void {
  const notFound = () => new HttpError(404, 'export_not_found', 'This download link is invalid or has expired');
  server.get(
    '/cohorts/exports/:id',
    guardedRoute({ logger: options.logger, failure: 'cohort export download failed' }, async (req: Request, res: Response) => {
      const stored = await exportBehindLink(req.url ?? '/', options, new Date());
      if (!stored) throw notFound();
      const body = Buffer.from(stored.csv, 'utf8');
      res.writeHead(200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Length': body.length,
        'Content-Disposition': `attachment; filename="${stored.fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(stored.fileName)}`,
        'Cache-Control': 'no-store',
      });
      res.write(body);
      res.end();
    }),
  );
}
