import { SHARED_INDEX_DIR } from '../support/app-harness';
import path from 'node:path';
import { createApp } from '../../src/app/create-app';
import { UnsafeBindError } from '../../src/channels/botframework/bot-authentication';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { REPO_ROOT, startTestApp, tempDir } from '../support/app-harness';

describe('startup and shutdown', () => {
  it('refuses to start on a network address without bot credentials, naming the settings', async () => {
    const config = loadConfig({ HOST: '0.0.0.0', PORT: '0', DATA_DIR: tempDir(), INDEX_DIR: SHARED_INDEX_DIR, KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge') }, REPO_ROOT);
    const attempt = createApp(config, { logger: createLogger({ level: 'silent' }) });
    await expect(attempt).rejects.toBeInstanceOf(UnsafeBindError);
    await expect(attempt).rejects.toThrow(/MICROSOFT_APP_ID/);
  });

  it('stops accepting requests and closes storage on stop()', async () => {
    const running = await startTestApp();
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    await running.stop();
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    await expect(running.app.storage.read('anything')).rejects.toThrow(/before open/);
  });
});
