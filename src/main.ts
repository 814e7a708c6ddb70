import { type App, createApp } from './app/create-app';
import { ConfigError, loadConfig } from './config/config';
import { UnsafeBindError } from './channels/botframework/bot-authentication';
import { startupBanner } from './app/startup-banner';

/** `npm start`: validate configuration, build the app, listen, and shut down gracefully. */
async function main(): Promise<void> {
  let app: App;
  try {
    const config = loadConfig();
    app = await createApp(config);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UnsafeBindError) {
      process.stderr.write(`govai-coach: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const url = await app.start();
  process.stdout.write(`${startupBanner(url, app.config).join('\n')}\n`);
  const shutdown = (signal: string) => {
    app.logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (err) => {
        app.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`govai-coach failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
