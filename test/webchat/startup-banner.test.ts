import { startupBanner } from '../../src/app/startup-banner';

describe('npm start banner', () => {
  const base = { WEBCHAT_ENABLED: true, PUBLIC_BASE_URL: undefined, ORG_NAME: 'Ministry of Testing', DIRECTLINE_SECRET: undefined };

  it('says where the browser chat is, on an address a browser can open', () => {
    expect(startupBanner('http://127.0.0.1:3978', base)).toEqual([
      'govai-coach listening on http://127.0.0.1:3978 (POST /api/messages, GET /healthz)',
      'Browser chat: open http://127.0.0.1:3978/ in a browser on this machine',
    ]);
    expect(startupBanner('http://0.0.0.0:8080', base)[1]).toBe('Browser chat: open http://127.0.0.1:8080/ in a browser on this machine');
    expect(startupBanner('http://0.0.0.0:8080', { ...base, PUBLIC_BASE_URL: 'https://coach.gov.example/', DIRECTLINE_SECRET: 's' })[1]).toBe(
      'Browser chat: https://coach.gov.example/#token=<a token issued with DIRECTLINE_SECRET>',
    );
    expect(startupBanner('http://127.0.0.1:3978', { ...base, WEBCHAT_ENABLED: false })).toHaveLength(1);
  });

  it('warns plainly when no organisation is configured', () => {
    expect(startupBanner('http://127.0.0.1:3978', { ...base, ORG_NAME: undefined }).at(-1)).toMatch(/^ORG_NAME is not set: .*set ORG_NAME, ORG_URL and PUBLIC_BASE_URL/);
  });
});
