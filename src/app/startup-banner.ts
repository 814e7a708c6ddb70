import type { AppConfig } from '../config/config';

/**
 * The lines `npm start` prints once the bot listens: where it answers, where the browser chat
 * is, and a plain warning when no organisation is configured (certificates would name none).
 */
export function startupBanner(listeningUrl: string, config: Pick<AppConfig, 'WEBCHAT_ENABLED' | 'PUBLIC_BASE_URL' | 'ORG_NAME' | 'DIRECTLINE_SECRET'>): string[] {
  const lines = [`govai-coach listening on ${listeningUrl} (POST /api/messages, GET /healthz)`];
  if (config.WEBCHAT_ENABLED) {
    const chatUrl = `${withoutTrailingSlashes(config.PUBLIC_BASE_URL ?? browserReachable(listeningUrl))}/`;
    lines.push(config.DIRECTLINE_SECRET ? `Browser chat: ${chatUrl}#token=<a token issued with DIRECTLINE_SECRET>` : `Browser chat: open ${chatUrl} in a browser on this machine`);
  }
  if (!config.ORG_NAME) lines.push('ORG_NAME is not set: the welcome card and certificates say the organisation is not configured (set ORG_NAME, ORG_URL and PUBLIC_BASE_URL in .env).');
  return lines;
}

/** A browser cannot open 0.0.0.0 or [::]: point it at loopback on the same port. */
function browserReachable(url: string): string {
  const parsed = new URL(url);
  if (parsed.hostname === '0.0.0.0' || parsed.hostname === '[::]') parsed.hostname = '127.0.0.1';
  return parsed.origin;
}

function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}
