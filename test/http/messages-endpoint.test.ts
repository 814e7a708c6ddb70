import { exchange, postJson, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';

describe('POST /api/messages and /healthz', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => running.stop());

  it('reports health with status, version and uptime once ready', async () => {
    const res = await fetch(`${running.url}/healthz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), uptimeSeconds: expect.any(Number) });
  });

  it('reports readiness with each dependency checked', async () => {
    const res = await fetch(`${running.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { storage: 'ok', content: 'ok', index: 'ok' } });
  });

  it('reports not ready once the storage stops answering, while liveness stays 200', async () => {
    const { storage } = running.app;
    const ping = storage.ping;
    storage.ping = async () => {
      throw new Error('closed');
    };
    try {
      const res = await fetch(`${running.url}/readyz`);
      expect(res.status).toBe(503);
      expect((await res.json()).checks.storage).toBe('failing');
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    } finally {
      storage.ping = ping;
    }
  });

  it('welcomes a Teams user when the bot is installed, in their language', async () => {
    const install = teamsActivity({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }], locale: 'en-US' });
    const [reply] = await exchange(running.url, install);
    expect(reply.type).toBe('message');
    expect(JSON.stringify(reply)).toMatch(/Welcome/);
  });

  it('answers help with the list of commands', async () => {
    const replies = await exchange(running.url, teamsActivity({ text: 'help' }));
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).toMatch(/What I can do/);
    expect(JSON.stringify(replies[0])).toMatch(/language/);
  });

  it('never stays silent on an unknown command', async () => {
    const replies = await exchange(running.url, teamsActivity({ text: '/frobnicate' }));
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).toMatch(/not a command I know/);
  });

  it('suggests the closest command for a typo', async () => {
    const replies = await exchange(running.url, teamsActivity({ text: 'hlep' }));
    expect(JSON.stringify(replies[0])).toMatch(/Did you mean .*help/);
  });

  it('answers 400 to malformed JSON and keeps serving', async () => {
    const bad = await postJson(`${running.url}/api/messages`, '{"type": "message", ');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('malformed_json');
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js|Error:/);
    const ok = await exchange(running.url, teamsActivity({ text: 'help' }));
    expect(ok).toHaveLength(1);
  });

  it('answers 415 to a wrong content type', async () => {
    const res = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'help' });
    expect(res.status).toBe(415);
  });

  it('answers 413 to a body over the limit', async () => {
    const huge = teamsActivity({ text: 'x'.repeat(300 * 1024) });
    const res = await postJson(`${running.url}/api/messages`, huge);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers 400 naming the missing field of an incomplete activity', async () => {
    const { from: _from, ...withoutFrom } = teamsActivity({ text: 'help' });
    const res = await postJson(`${running.url}/api/messages`, withoutFrom);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^from: /);
    const notAnObject = await postJson(`${running.url}/api/messages`, '[1,2]');
    expect(notAnObject.status).toBe(400);
  });

  it('ignores unknown activity types safely', async () => {
    const res = await postJson(`${running.url}/api/messages`, teamsActivity({ type: 'somethingNew', text: undefined }));
    expect(res.status).toBe(200);
    expect(res.body?.activities ?? []).toEqual([]);
  });

  it('processes a retried activity (same id) only once', async () => {
    const activity = teamsActivity({ text: 'help' });
    expect(await exchange(running.url, activity)).toHaveLength(1);
    expect(await exchange(running.url, activity)).toHaveLength(0);
  });
});
