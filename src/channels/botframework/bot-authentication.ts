import fs from 'node:fs';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { AppConfig } from '../../config/config';

export class UnsafeBindError extends Error {
  readonly code = 'unsafe_anonymous_bind';
}

/** True for 127.0.0.0/8, ::1 and "localhost": addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
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

export function createBotAuthentication(config: AppConfig): ConfigurationBotFrameworkAuthentication {
  if (!config.MICROSOFT_APP_ID) return new ConfigurationBotFrameworkAuthentication({});
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
  return new ConfigurationBotFrameworkAuthentication(options);
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
