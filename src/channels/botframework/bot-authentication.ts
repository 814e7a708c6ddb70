import fs from 'node:fs';
import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import type { AppConfig } from '../../config/config';
import { isLoopbackHost } from '../http/loopback';
import { safeEqual } from '../webchat/directline-tokens';
import type { ServiceUrlPolicy } from './service-url-policy';
import { CodedError } from '../../errors/coded-error';
import type { ErrorCode } from '../../errors/error-codes';

export class UnsafeBindError extends CodedError {
  constructor(message: string) {
    super('unsafe_anonymous_bind', message);
  }
}

/** A request /api/messages must refuse: 401 (who are you?) or 403 (not from here). `reason` is for logs only. */
export class BotAuthError extends CodedError {
  constructor(
    readonly status: 401 | 403,
    code: ErrorCode,
    readonly reason: string,
  ) {
    super(code, reason);
  }
}

export type AuthMode = 'anonymous-loopback' | 'anonymous-network-opt-out' | 'authenticated';

/**
 * Decides how /api/messages authenticates. Without an app id the adapter accepts any
 * request (even with a bogus token), so that mode is only allowed on loopback unless the
 * operator explicitly opts out.
 */
export function selectAuthMode(config: Pick<AppConfig, 'HOST' | 'MICROSOFT_APP_ID' | 'ALLOW_ANONYMOUS_ON_NETWORK'>): AuthMode {
  if (config.MICROSOFT_APP_ID) return 'authenticated';
  if (isLoopbackHost(config.HOST)) return 'anonymous-loopback';
  if (config.ALLOW_ANONYMOUS_ON_NETWORK) return 'anonymous-network-opt-out';
  throw new UnsafeBindError(
    `Refusing to start: HOST=${config.HOST} is not a loopback address and no bot credentials are set, so anyone could talk to the bot unauthenticated. ` +
      'Set MICROSOFT_APP_ID, MICROSOFT_APP_TENANT_ID and MICROSOFT_APP_TYPE (SingleTenant or UserAssignedMSI) with MICROSOFT_APP_PASSWORD ' +
      '(or MICROSOFT_APP_CERT_THUMBPRINT and MICROSOFT_APP_CERT_KEY_FILE), or bind to 127.0.0.1.',
  );
}

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>[0];
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;

/** Bounds the client caches: in anonymous mode the serviceUrl (part of the key) comes from the request. */
const CLIENTS_KEPT = 64;

/** The app id botbuilder's factories build clients for: the token's audience, else its appid claim. */
function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue('aud') ?? identity.getClaimValue('appid') ?? '';
}

function kept<T>(cache: Map<string, Promise<T>>, key: string, create: () => Promise<T>): Promise<T> {
  let client = cache.get(key);
  if (!client) {
    if (cache.size >= CLIENTS_KEPT) cache.clear();
    client = create();
    cache.set(key, client);
    client.catch(() => cache.delete(key));
  }
  return client;
}

export interface RequestPolicy {
  mode: AuthMode;
  /** Where replies may be sent; also adds the headers the bot's own endpoints expect. */
  serviceUrls: ServiceUrlPolicy;
  /** The `iss` of tokens the channel (Bot Connector) issues. */
  channelIssuer: string;
  allowEmulatorTokens: boolean;
  /** Tenant ids whose activities are accepted; '*' accepts any. */
  allowedTenants: string[];
  /** Anonymous network mode: the bearer credential the authenticating proxy sends. */
  sharedSecret?: string;
}

/**
 * botbuilder's authentication plus what it leaves out: tokens must have `exp` and be RS256
 * from the channel's issuer (emulator tokens only when enabled), activities must come from
 * an allowed tenant, and replies may only go to allowed service URLs. Every failure is a
 * BotAuthError, so the endpoint answers 401/403, never 500.
 */
export class GuardedBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  /**
   * botbuilder builds a connector client and a user-token client (each an HTTP pipeline) for
   * every turn, about a tenth of a short turn's CPU; they hold no per-turn state, so they are
   * kept per app id, audience and service URL. The service-URL guard still checks every request.
   */
  private readonly connectorClients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(
    options: Record<string, string | undefined>,
    private readonly policy: RequestPolicy,
  ) {
    super(options);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const { policy } = this;
    let result: AuthenticateRequestResult;
    if (policy.mode === 'authenticated') {
      checkTokenShape(authHeader, policy);
      try {
        result = await super.authenticateRequest(activity, authHeader);
      } catch (err) {
        throw new BotAuthError(401, 'invalid_token', (err as Error).message);
      }
      checkTenant(activity, policy.allowedTenants);
      // botbuilder has matched the serviceUrl to the token's serviceurl claim; the host must also be a connector's.
      if (!policy.serviceUrls.allows(activity.serviceUrl)) throw new BotAuthError(403, 'service_url_not_allowed', `serviceUrl host not allowed: ${hostOf(activity.serviceUrl)}`);
    } else {
      if (policy.mode === 'anonymous-network-opt-out') {
        const given = bearerCredential(authHeader);
        if (!given || !policy.sharedSecret || !safeEqual(given, policy.sharedSecret)) throw new BotAuthError(401, 'missing_shared_secret', 'no or wrong shared secret');
      }
      // Without credentials nothing is posted anywhere but the operator's loopback URLs; replies come back in the response.
      if (activity.deliveryMode !== 'expectReplies' && !policy.serviceUrls.allows(activity.serviceUrl)) {
        throw new BotAuthError(403, 'service_url_not_allowed', `serviceUrl not listed: ${hostOf(activity.serviceUrl)}`);
      }
      result = await super.authenticateRequest(activity, '');
    }
    return result.connectorFactory ? { ...result, connectorFactory: this.guard(result.connectorFactory, appIdOf(result.claimsIdentity)) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.guard(super.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return kept(this.userTokenClients, appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  private guard(factory: ConnectorFactory, appId: string): ConnectorFactory {
    const { serviceUrls } = this.policy;
    return {
      create: (serviceUrl: string, audience?: string) =>
        kept(this.connectorClients, JSON.stringify([appId, audience ?? '', serviceUrl]), async () => guardConnectorClient(await factory.create(serviceUrl, audience), serviceUrls)),
    };
  }
}

interface PipelineRequestLike {
  url: string;
  headers: { set(name: string, value: string): void };
}
interface PipelineLike {
  addPolicy(policy: { name: string; sendRequest(request: PipelineRequestLike, next: (request: PipelineRequestLike) => Promise<unknown>): Promise<unknown> }): void;
}

/**
 * Checks every request a connector client makes (replies, card updates, proactive messages),
 * not just the URL it was created for. botbuilder overwrites `requestPolicyFactories`, so the
 * check goes on the underlying @azure/core-client pipeline; if that ever moves, we fail closed
 * rather than send unchecked.
 */
function guardConnectorClient(client: ConnectorClient, serviceUrls: ServiceUrlPolicy): ConnectorClient {
  const pipeline = (client as unknown as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
  if (typeof pipeline?.addPolicy !== 'function') throw new CodedError('invariant_violated', 'cannot guard the Bot Framework connector client: its pipeline is not reachable');
  pipeline.addPolicy({
    name: 'govai-service-url-guard',
    async sendRequest(request, next) {
      serviceUrls.assertAllowed(request.url);
      for (const [name, value] of Object.entries(serviceUrls.headersFor(request.url))) request.headers.set(name, value);
      return next(request);
    },
  });
  return client;
}

function bearerCredential(authHeader: string): string | undefined {
  return /^Bearer\s+(\S+)\s*$/.exec(authHeader)?.[1];
}

/** Cheap checks botbuilder does not make, done before any signing key is fetched. */
function checkTokenShape(authHeader: string, policy: RequestPolicy): void {
  const token = bearerCredential(authHeader);
  if (!token) throw new BotAuthError(401, 'missing_token', 'no bearer token');
  const parts = token.split('.');
  const header = decodeJsonPart(parts[0]);
  const payload = decodeJsonPart(parts[1]);
  if (parts.length !== 3 || !header || !payload) throw new BotAuthError(401, 'malformed_token', 'not a JWT');
  if (header.alg !== 'RS256') throw new BotAuthError(401, 'unsupported_algorithm', `alg ${String(header.alg)}`);
  if (typeof payload.exp !== 'number') throw new BotAuthError(401, 'missing_exp', 'token without exp');
  if (!policy.allowEmulatorTokens && payload.iss !== policy.channelIssuer) throw new BotAuthError(401, 'untrusted_issuer', `issuer ${String(payload.iss)}`);
}

function decodeJsonPart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Teams names the tenant in channelData.tenant.id (and conversation.tenantId); other channels carry none. */
function checkTenant(activity: Activity, allowed: string[]): void {
  if (allowed.includes('*')) return;
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const tenant = typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : activity.conversation?.tenantId;
  if (!tenant) {
    if (activity.channelId === 'msteams') throw new BotAuthError(403, 'tenant_not_allowed', 'Teams activity without a tenant');
    return;
  }
  if (!allowed.some((t) => t.toLowerCase() === tenant.toLowerCase())) throw new BotAuthError(403, 'tenant_not_allowed', `tenant ${tenant}`);
}

function hostOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').host;
  } catch {
    return '(invalid)';
  }
}

/** The tenants allowed by default: the app's own for SingleTenant and UserAssignedMSI, any for MultiTenant. */
export function allowedTenantsOf(config: Pick<AppConfig, 'ALLOWED_TENANT_IDS' | 'MICROSOFT_APP_TYPE' | 'MICROSOFT_APP_TENANT_ID'>): string[] {
  if (config.ALLOWED_TENANT_IDS.length) return config.ALLOWED_TENANT_IDS;
  if ((config.MICROSOFT_APP_TYPE ?? 'SingleTenant') === 'MultiTenant') return ['*'];
  return config.MICROSOFT_APP_TENANT_ID ? [config.MICROSOFT_APP_TENANT_ID] : [];
}

export function createBotAuthentication(config: AppConfig, serviceUrls: ServiceUrlPolicy): GuardedBotFrameworkAuthentication {
  const policy: RequestPolicy = {
    mode: selectAuthMode(config),
    serviceUrls,
    channelIssuer: config.BOT_TOKEN_ISSUER ?? 'https://api.botframework.com',
    allowEmulatorTokens: config.ALLOW_EMULATOR_TOKENS,
    allowedTenants: allowedTenantsOf(config),
    sharedSecret: config.ANONYMOUS_SHARED_SECRET,
  };
  if (!config.MICROSOFT_APP_ID) return new GuardedBotFrameworkAuthentication({}, policy);
  const options: Record<string, string | undefined> = {
    MicrosoftAppId: config.MICROSOFT_APP_ID,
    MicrosoftAppType: config.MICROSOFT_APP_TYPE ?? 'SingleTenant',
    MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID,
    MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD,
    CertificateThumbprint: config.MICROSOFT_APP_CERT_THUMBPRINT,
    CertificatePrivateKey: config.MICROSOFT_APP_CERT_KEY_FILE ? fs.readFileSync(config.MICROSOFT_APP_CERT_KEY_FILE, 'utf8') : undefined,
    ...(config.BOT_OPENID_METADATA_URL ? publicCloudWithMetadata(config.BOT_OPENID_METADATA_URL, config.BOT_TOKEN_ISSUER) : {}),
  };
  for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
  return new GuardedBotFrameworkAuthentication(options, policy);
}

/**
 * botbuilder treats any overridden endpoint as "everything is custom", so an OpenID metadata
 * override (sovereign clouds, tests with a local signing key) must bring the other public
 * cloud settings along explicitly.
 */
function publicCloudWithMetadata(metadataUrl: string, issuer = 'https://api.botframework.com'): Record<string, string> {
  return {
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromChannelTokenIssuer: issuer,
    OAuthUrl: 'https://api.botframework.com',
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    CallerId: 'urn:botframework:azure',
  };
}
