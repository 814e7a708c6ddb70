import { isLoopbackHost } from '../http/loopback';
import { CodedError } from '../../errors/coded-error';

export class ServiceUrlRefusedError extends CodedError {
  constructor(readonly url: string) {
    super('service_url_not_allowed', `Refusing to send to ${safeOrigin(url)}: not an allowed Bot Framework service URL`);
  }
}

export interface ServiceUrlPolicyOptions {
  /** With bot credentials, replies may go to these connector hosts ("*.example.com" matches subdomains). */
  connectorHosts?: string[];
  /** Loopback URL prefixes the operator listed (LOCAL_SERVICE_URLS); allowed in every mode. */
  localServiceUrls: string[];
}

interface LocalDestination {
  prefix: string;
  headers: Record<string, string>;
}

/**
 * Where the bot may send HTTP requests on behalf of a conversation (its serviceUrl). An
 * activity names its own serviceUrl, so without this check anyone who can post an activity
 * could make the bot POST learners' replies to any host or loopback port (SSRF). Without
 * credentials only listed loopback URLs are allowed; with credentials also https connector
 * hosts (botbuilder already ties the serviceUrl to the token's `serviceurl` claim).
 */
export class ServiceUrlPolicy {
  private readonly local: LocalDestination[];

  constructor(private readonly options: ServiceUrlPolicyOptions) {
    this.local = options.localServiceUrls.map((prefix) => ({ prefix: normalise(prefix), headers: {} }));
  }

  /** Adds one of the bot's own endpoints (the web chat connector), with headers that prove the call is ours. */
  allowLocal(prefix: string, headers: Record<string, string> = {}): void {
    this.local.push({ prefix: normalise(prefix), headers });
  }

  allows(url: string | undefined): boolean {
    if (!url) return false;
    if (this.localDestination(url)) return true;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password || isLoopbackHost(parsed.hostname)) return false;
    const host = parsed.hostname.toLowerCase();
    return (this.options.connectorHosts ?? []).some((pattern) => hostMatches(host, pattern.toLowerCase()));
  }

  /** True when `url` is under a loopback prefix the operator listed (LOCAL_SERVICE_URLS), e.g. a local stand-in serving files. */
  listedLocally(url: string): boolean {
    try {
      const normalised = normalise(url);
      return this.options.localServiceUrls.some((prefix) => normalised.startsWith(normalise(prefix)));
    } catch {
      return false;
    }
  }

  /** Extra headers for a request to `url` (only the bot's own endpoints get any). */
  headersFor(url: string): Record<string, string> {
    return this.localDestination(url)?.headers ?? {};
  }

  /** Throws ServiceUrlRefusedError unless `url` is allowed. */
  assertAllowed(url: string): void {
    if (!this.allows(url)) throw new ServiceUrlRefusedError(url);
  }

  private localDestination(url: string): LocalDestination | undefined {
    let normalised: string;
    try {
      normalised = normalise(url);
    } catch {
      return undefined;
    }
    return this.local.find((d) => normalised.startsWith(d.prefix));
  }
}

/** Lower-cased scheme and host with a trailing slash, so "http://127.0.0.1:3980" and "…/" compare equal. */
function normalise(url: string): string {
  const parsed = new URL(url);
  if (parsed.username || parsed.password) throw new CodedError('service_url_not_allowed', 'credentials in URL');
  const path = parsed.pathname.endsWith('/') ? parsed.pathname : `${parsed.pathname}/`;
  return `${parsed.protocol}//${parsed.host}${path}`.toLowerCase();
}

/** "*.example.com" matches subdomains of example.com; any other pattern the host itself. */
export function hostMatches(host: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return host === pattern;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}
