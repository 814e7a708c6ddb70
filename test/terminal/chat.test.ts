import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { createLogger } from '../../src/logging/logger';
import type { LearnerRecord } from '../../src/core/learner';
import { runChat } from '../../src/cli/chat';

const repoRoot = path.resolve(__dirname, '..', '..');

function testConfig(dataDir: string): AppConfig {
  return loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: path.join(repoRoot, 'knowledge'), LOG_LEVEL: 'silent', ORG_NAME: 'Test Agency' }, repoRoot);
}

/** Runs the chat with the given lines on stdin (then end of input) and returns everything it printed. */
async function chat(config: AppConfig, lines: string[], userId = 'ada'): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const done = runChat({ config, input, output, identity: { userId, locale: 'en-GB' }, logger: createLogger({ level: 'silent' }) });
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await done;
  return printed;
}

describe('npm run chat (terminal conversation)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-chat-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('greets with the welcome, answers help, and ends on /quit without reading further lines', async () => {
    const out = await chat(testConfig(dataDir), ['help', '/quit', 'help']);
    expect(out).toContain('Welcome to AI and Digital Transformation in Government');
    expect(out).toContain('run by Test Agency');
    expect(out).toContain('What I can do');
    expect(out).toContain('Goodbye');
    // Only one help reply: the line after /quit was not handled. No Markdown markers in piped output.
    expect(out.split('What I can do').length).toBe(2);
    expect(out).not.toContain('**');
  });

  it('typing the number of a button presses it, and the choice is kept in the SQLite file for the next session', async () => {
    const config = testConfig(dataDir);
    const first = await chat(config, ['help']);
    const languageButton = /(\d+)\. Language\b/.exec(first.slice(first.indexOf('What I can do')));
    expect(languageButton).not.toBeNull();

    const second = await chat(config, [languageButton![1]]);
    expect(second).toContain('Choose the language I should use with you.');
    const arabic = /(\d+)\. العربية/.exec(second);
    expect(arabic).not.toBeNull();

    // Ctrl-D (end of input) also ends the chat and closes storage cleanly.
    await chat(config, [arabic![1]]);
    const storage = new SqliteStorage(config.paths.sqlite);
    await storage.open();
    try {
      const learner = await storage.read<LearnerRecord>('learner:terminal:ada');
      expect(learner?.value.language).toBe('ar');
    } finally {
      await storage.close();
    }
  });

  it('says so when a number matches no choice instead of guessing', async () => {
    const out = await chat(testConfig(dataDir), ['help', '97']);
    expect(out).toContain('I did not understand that');
  });
});
