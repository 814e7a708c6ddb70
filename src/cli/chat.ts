import os from 'node:os';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import pino from 'pino';
import { createApp } from '../app/create-app';
import { ConfigError, loadConfig, type AppConfig } from '../config/config';
import { createLogger, type Logger } from '../logging/logger';
import { formatForTerminal } from '../channels/terminal/terminal-format';
import { wrapForTerminal } from '../channels/terminal/word-wrap';
import { TerminalSession, type TerminalIdentity } from '../channels/terminal/terminal-session';

export interface ChatOptions {
  config: AppConfig;
  input: Readable;
  output: Writable;
  identity: TerminalIdentity;
  /** ANSI bold/italic; on for an interactive terminal. */
  color?: boolean;
  /** Screen width to wrap at; by default the output terminal's current width (none when piped). */
  columns?: number;
  logger?: Logger;
}

const QUIT_WORDS = new Set(['/quit', '/exit', '/q']);

/**
 * `npm run chat`: the bot's logic in-process, with learner progress in the same storage as
 * the server (the SQLite file under DATA_DIR by default), so a conversation continues where
 * it stopped. Ends on /quit or end of input (Ctrl-D), then closes storage.
 */
export async function runChat(options: ChatOptions): Promise<void> {
  const { output } = options;
  // The chat never listens, so the server's bind-address safety check does not apply to it.
  const config: AppConfig = { ...options.config, HOST: '127.0.0.1' };
  // Logs go to stderr (warnings and worse) so they do not interleave with the conversation.
  const logger = options.logger ?? createLogger({ level: 'warn', destination: pino.destination(2) });
  const app = await createApp(config, { logger });
  try {
    await app.open();
    const session = new TerminalSession(app.coach, app.localizer, options.identity, config.DEFAULT_LANGUAGE);
    await session.init();
    const t = () => app.localizer.forLanguage(session.lang);
    const print = (blocks: string[]) => {
      // Read the width on every reply: the window may have been resized.
      const columns = options.columns ?? (output as Partial<NodeJS.WriteStream>).columns;
      for (const block of blocks) output.write(`\n${wrapForTerminal(formatForTerminal(block, options.color ?? false), columns)}\n`);
      output.write('\n');
    };

    output.write(`${formatForTerminal(t()('terminal:banner'), options.color ?? false)}\n`);
    print(await session.welcome());

    const rl = readline.createInterface({ input: options.input, output, terminal: Boolean(options.color) });
    rl.on('SIGINT', () => rl.close());
    // Piped input can end while a reply is still being computed; Node 22+ throws on prompt() after close.
    let closed = false;
    rl.on('close', () => (closed = true));
    rl.setPrompt(t()('terminal:prompt'));
    rl.prompt();
    for await (const raw of rl) {
      const line = raw.trim();
      if (QUIT_WORDS.has(line.toLowerCase())) break;
      if (line) print(await session.say(line));
      rl.setPrompt(t()('terminal:prompt'));
      if (!closed) rl.prompt();
    }
    rl.close();
    output.write(`\n${t()('terminal:bye')}\n`);
  } finally {
    await app.stop();
  }
}

/** `--user <id>` picks whose progress to continue; by default the operating-system user. */
export function parseChatArgs(argv: string[], env: NodeJS.ProcessEnv): TerminalIdentity {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  let osUser = 'local';
  try {
    osUser = os.userInfo().username || osUser;
  } catch {
    // No passwd entry (some containers): keep the generic id.
  }
  const envLocale = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  return {
    userId: value('--user') ?? osUser,
    userName: value('--name'),
    locale: value('--lang') ?? (envLocale && !/^(C|POSIX)\b/.test(envLocale) ? envLocale : undefined),
  };
}

if (require.main === module) {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`govai-coach chat: ${(err as Error).message}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  }
  runChat({ config, input: process.stdin, output: process.stdout, identity: parseChatArgs(process.argv.slice(2), process.env), color: Boolean(process.stdout.isTTY && process.stdin.isTTY) }).then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`govai-coach chat failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
