import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { SUPPORTED_LANGUAGES, type Language } from '../../config/config-schema';
import { directionOf, toSupportedLanguage, type Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import { guardedRoute } from '../http/guarded-route';
import { HttpError } from '../http/http-errors';
import { escapeHtml } from '../http/html-escape';
import { acceptedLanguage } from './accept-language';
import { assertAllowedClient, type DirectLineAccessMode } from './directline-access';
import { DIRECTLINE_BASE_PATH, LANGUAGE_EVENT } from './directline-endpoint';
import { isolateLtrRuns } from '../../i18n/bidi-isolate';

export interface WebChatPageOptions {
  localizer: Localizer;
  logger: Logger;
  defaultLanguage: Language;
  access: DirectLineAccessMode;
  /** Folder with index.html, page.js and page.css. */
  publicDir: string;
  /** Microsoft's Web Chat browser bundle (UMD, defines window.WebChat). */
  webChatBundle: string;
}

/** Files the page loads; nothing else under /webchat/ is served. */
const ASSETS: Record<string, { type: string; file: (o: WebChatPageOptions) => string }> = {
  'page.js': { type: 'text/javascript; charset=utf-8', file: (o) => path.join(o.publicDir, 'page.js') },
  'page.css': { type: 'text/css; charset=utf-8', file: (o) => path.join(o.publicDir, 'page.css') },
  'webchat.js': { type: 'text/javascript; charset=utf-8', file: (o) => o.webChatBundle },
};

// Web Chat injects its styles at run time (emotion), so styles need 'unsafe-inline'; scripts do not.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The local web chat page at GET /, in the language of ?lang= or the browser's Accept-Language. */
export function mountWebChatPage(server: Server, options: WebChatPageOptions): void {
  const template = fs.readFileSync(path.join(options.publicDir, 'index.html'), 'utf8');

  server.get(
    '/',
    guardedRoute({ logger: options.logger, failure: 'web chat page failed' }, async (req: Request, res: Response) => {
      assertAllowedClient(req, options.access);
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const chosen = toSupportedLanguage(query.get('lang'));
      const lang = chosen ?? acceptedLanguage(req.headers['accept-language']) ?? options.defaultLanguage;
      const html = renderPage(template, options.localizer, lang, Boolean(chosen), options.access);
      securityHeaders(res);
      res.header('Content-Type', 'text/html; charset=utf-8');
      res.header('Cache-Control', 'no-store');
      res.status(200);
      res.end(html);
    }),
  );

  server.get(
    '/webchat/:file',
    guardedRoute({ logger: options.logger, failure: 'web chat asset failed', context: (req) => ({ file: req.params.file }) }, async (req: Request, res: Response) => {
      assertAllowedClient(req, options.access);
      const asset = Object.hasOwn(ASSETS, req.params.file) ? ASSETS[req.params.file] : undefined;
      if (!asset) throw new HttpError(404, 'not_found', 'No such file');
      const body = await fs.promises.readFile(asset.file(options));
      securityHeaders(res);
      res.header('Content-Type', asset.type);
      res.header('Cache-Control', 'no-cache');
      res.status(200);
      res.end(body);
    }),
  );
}

export function renderPage(template: string, localizer: Localizer, lang: Language, explicit: boolean, access: DirectLineAccessMode): string {
  const page = pageStrings(localizer, lang);
  const languageOptions = SUPPORTED_LANGUAGES.map(
    (code) =>
      `<option value="${code}" lang="${code}" dir="${directionOf(code)}"${code === lang ? ' selected' : ''}>${escapeHtml(localizer.forLanguage(code)(`common:language.names.${code}`))}</option>`,
  ).join('');
  const config = {
    lang,
    /** Whether the language was picked on the page (else the browser's own locale is used). */
    explicitLanguage: explicit,
    directLine: DIRECTLINE_BASE_PATH,
    access,
    languageEvent: LANGUAGE_EVENT,
    /** Every language's page strings, so the page switches language in place when the bot does. */
    languages: Object.fromEntries(SUPPORTED_LANGUAGES.map((code) => [code, { dir: directionOf(code), strings: pageStrings(localizer, code) }])),
  };
  const values: Record<string, string> = {
    lang,
    dir: directionOf(lang),
    title: escapeHtml(page.title),
    heading: escapeHtml(page.heading),
    intro: escapeHtml(page.intro),
    chatLabel: escapeHtml(page.chatLabel),
    languageLabel: escapeHtml(page.languageLabel),
    noscript: escapeHtml(page.noscript),
    languageOptions,
    // JSON in a non-executed script element; "<" escaped so it cannot close the element.
    config: JSON.stringify(config).replace(/</g, '\\u003c'),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (m, name: string) => values[name] ?? m);
}

/** The page's own strings in one language, with Latin words and numbers isolated in right-to-left text. */
function pageStrings(localizer: Localizer, lang: Language): Record<string, string> {
  const t = localizer.forLanguage(lang);
  const keys = {
    title: 'webchat:page.title',
    heading: 'webchat:page.heading',
    intro: 'webchat:page.intro',
    chatLabel: 'webchat:page.chatLabel',
    languageLabel: 'webchat:page.languageLabel',
    noscript: 'webchat:page.noscript',
    botInitials: 'webchat:page.botInitials',
    connecting: 'webchat:status.connecting',
    tokenRequired: 'webchat:errors.tokenRequired',
    loopbackOnly: 'webchat:errors.loopbackOnly',
    connectFailed: 'webchat:errors.connectFailed',
  };
  return Object.fromEntries(Object.entries(keys).map(([name, key]) => [name, directionOf(lang) === 'rtl' ? isolateLtrRuns(t(key)) : t(key)]));
}

function securityHeaders(res: Response): void {
  res.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.header('X-Content-Type-Options', 'nosniff');
  res.header('Referrer-Policy', 'no-referrer');
}
