import { selectAuthMode, UnsafeBindError } from '../../src/channels/botframework/bot-authentication';
import { isLoopbackHost } from '../../src/channels/http/loopback';

describe('authentication mode', () => {
  it('recognises loopback addresses only', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'bot.example.org', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('runs anonymously on loopback without an app id', () => {
    expect(selectAuthMode({ HOST: '127.0.0.1', MICROSOFT_APP_ID: undefined, ALLOW_ANONYMOUS_ON_NETWORK: false })).toBe('anonymous-loopback');
  });

  it('refuses a network address without credentials, naming the missing settings', () => {
    expect(() => selectAuthMode({ HOST: '0.0.0.0', MICROSOFT_APP_ID: undefined, ALLOW_ANONYMOUS_ON_NETWORK: false })).toThrow(UnsafeBindError);
    expect(() => selectAuthMode({ HOST: '0.0.0.0', MICROSOFT_APP_ID: undefined, ALLOW_ANONYMOUS_ON_NETWORK: false })).toThrow(/MICROSOFT_APP_ID.*MICROSOFT_APP_TENANT_ID.*MICROSOFT_APP_TYPE/);
  });

  it('allows the explicit opt-out and any host with an app id', () => {
    expect(selectAuthMode({ HOST: '0.0.0.0', MICROSOFT_APP_ID: undefined, ALLOW_ANONYMOUS_ON_NETWORK: true })).toBe('anonymous-network-opt-out');
    expect(selectAuthMode({ HOST: '0.0.0.0', MICROSOFT_APP_ID: 'app-id', ALLOW_ANONYMOUS_ON_NETWORK: false })).toBe('authenticated');
  });
});
