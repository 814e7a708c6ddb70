import fs from 'node:fs';
import path from 'node:path';
import { exchange, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';
import { readManifest } from '../../src/adapters/retrieval/index-store';

describe('Q&A in the running app, over /api/messages as a Teams user', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(() => running?.stop());

  it('builds the index before it reports ready, recording the embedding and the content hash', () => {
    const manifest = readManifest(running.app.config.paths.index);
    expect(manifest?.embeddingId).toMatch(/^local-hash/);
    expect(manifest?.byLanguage.en).toBeGreaterThan(100);
    expect(fs.existsSync(path.join(running.app.config.paths.index, 'vector', 'sparse-vectors.bin'))).toBe(true);
  });

  it('answers a course question offline, with its source lesson', async () => {
    const replies = await exchange(running.url, teamsActivity({ text: 'What is the once-only principle?' }));
    const shown = JSON.stringify(replies);
    expect(shown).toMatch(/once/i);
    expect(shown).toContain('Sharing and opening data responsibly');
    expect(shown).toContain('lesson.open');
  });
});
