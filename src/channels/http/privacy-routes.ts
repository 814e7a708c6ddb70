import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { repoRoot } from '../../config/repo-root';
import type { PrivacyService } from '../../core/privacy/privacy-service';
import type { Logger } from '../../logging/logger';
import { guardedRoute } from './guarded-route';
import { HttpError } from './http-errors';

export const PRIVACY_NOTICE_PATH = '/privacy';
export const PRIVACY_EXPORT_PATH = '/privacy/export';

/**
 * - GET /privacy                  → the privacy notice (docs/privacy.md, as text)
 * - GET /privacy/export/<token>   → a learner's data export or an administrator's audit log
 *   (JSON attachment). Unknown or expired tokens get a 404 that reveals nothing.
 */
export function mountPrivacyRoutes(server: Server, options: { privacy: PrivacyService; logger: Logger }): void {
  const file = path.join(repoRoot(), 'docs', 'privacy.md');
  // A deployment without the notice file still starts (PRIVACY_NOTICE_URL may point elsewhere), and says so.
  const notice = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  if (!notice) options.logger.error({ file }, 'privacy notice file missing: GET /privacy answers 404');
  server.get(
    PRIVACY_NOTICE_PATH,
    guardedRoute({ logger: options.logger, failure: 'privacy notice failed' }, async (_req: Request, res: Response) => {
      if (!notice) throw new HttpError(404, 'privacy_notice_missing', 'The privacy notice is not installed on this server');
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': notice.length });
      res.write(notice);
      res.end();
    }),
  );

  server.get(
    `${PRIVACY_EXPORT_PATH}/:token`,
    guardedRoute({ logger: options.logger, failure: 'privacy download failed' }, async (req: Request, res: Response) => {
      const file = await options.privacy.fileFor(String(req.params.token ?? ''), new Date());
      if (!file) throw new HttpError(404, 'download_not_found', 'This download link is invalid or has expired');
      const body = Buffer.from(JSON.stringify(file.body, null, 2), 'utf8');
      res.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': body.length,
        'Content-Disposition': `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"`,
        // Personal data: never kept by a proxy or the browser cache.
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      res.write(body);
      res.end();
    }),
  );
}
