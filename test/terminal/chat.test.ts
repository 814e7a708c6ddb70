import { loadCourseCatalog } from '../../src/adapters/content/course-loader';
import { SHARED_INDEX_DIR } from '../support/app-harness';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { createLogger } from '../../src/logging/logger';
import type { LearnerRecord } from '../../src/core/learner';
import { runChat } from '../../src/cli/chat';
import { escapeRegExp, localeString } from '../support/app-harness';

const repoRoot = path.resolve(__dirname, '..', '..');

function testConfig(dataDir: string): AppConfig {
  return loadConfig({ DATA_DIR: dataDir, INDEX_DIR: SHARED_INDEX_DIR, KNOWLEDGE_DIR: path.join(repoRoot, 'knowledge'), LOG_LEVEL: 'silent', ORG_NAME: 'Test Agency' }, repoRoot);
}

/** A running chat driven line by line, like a person at the keyboard. */
function startChat(config: AppConfig, userId = 'ada') {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const done = runChat({ config, input, output, identity: { userId, locale: 'en-GB' }, logger: createLogger({ level: 'silent' }) });
  return {
    get printed() {
      return printed;
    },
    type: (line: string) => input.write(`${line}\n`),
    /** Resolves with the output printed after `from` once it matches `pattern`. */
    async waitFor(pattern: RegExp, from = 0): Promise<RegExpExecArray> {
      for (let i = 0; i < 500; i++) {
        const m = pattern.exec(printed.slice(from));
        if (m) return m;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`chat never printed ${pattern}; it printed:\n${printed}`);
    },
    async end(): Promise<string> {
      input.end();
      await done;
      return printed;
    },
  };
}

/** Runs the chat with the given lines on stdin (then end of input) and returns everything it printed. */
async function chat(config: AppConfig, lines: string[], userId = 'ada'): Promise<string> {
  const session = startChat(config, userId);
  for (const line of lines) session.type(line);
  return session.end();
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
    const session = startChat(config);
    await session.waitFor(/Welcome to/);
    let mark = session.printed.length;
    session.type('help');
    const languageButton = await session.waitFor(/(\d+)\. Language\b/, mark);

    mark = session.printed.length;
    session.type(languageButton[1]);
    await session.waitFor(/Choose the language I should use with you\./, mark);
    const arabic = await session.waitFor(/(\d+)\. العربية/, mark);

    mark = session.printed.length;
    session.type(arabic[1]);
    await session.waitFor(escapeRegExp(localeString('ar', 'common', 'language.changed')), mark);
    // End of input (Ctrl-D) ends the chat and closes storage; a new session finds the stored choice.
    await session.end();
    const storage = new SqliteStorage(config.paths.sqlite);
    await storage.open();
    try {
      const learner = await storage.read<LearnerRecord>('learner:terminal:ada');
      expect(learner?.value.language).toBe('ar');
    } finally {
      await storage.close();
    }
  });

  it('typing 1 after the welcome presses its first button and starts the course; the next session resumes there', async () => {
    const config = testConfig(dataDir);
    const first = await chat(config, ['1', 'next']);
    // The opening steps: "About this course" and the "AI in plain words" primer.
    const steps = (await loadCourseCatalog(config.paths.knowledge)).get('en').about.length;
    expect(first).toContain('1. Start or resume the course');
    expect(first).toContain(`About this course · Step 1 of ${steps}`);
    expect(first).toContain(`About this course · Step 2 of ${steps}`);
    const second = await chat(config, ['start']);
    expect(second).toContain(`About this course · Step 2 of ${steps}`);
    expect(second).not.toContain(`Step 1 of ${steps}`);
  });
});
