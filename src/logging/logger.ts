import pino, { type Logger } from 'pino';
import { currentCorrelationId } from './correlation';

export type { Logger };

/**
 * Structured JSON logs. Secrets and message text are redacted by default: learners'
 * words are personal data, so they are logged only when LOG_MESSAGE_TEXT=true.
 */
export function createLogger(options: { level?: string; logMessageText?: boolean; destination?: pino.DestinationStream } = {}): Logger {
  const redactPaths = [
    '*.password',
    '*.secret',
    '*.token',
    '*.apiKey',
    '*.authorization',
    '*.Authorization',
    'req.headers.authorization',
    'headers.authorization',
    'config.MICROSOFT_APP_PASSWORD',
    'config.OPENAI_API_KEY',
    'config.AZURE_OPENAI_API_KEY',
    'config.SLACK_BOT_TOKEN',
    'config.SLACK_SIGNING_SECRET',
  ];
  if (!options.logMessageText) redactPaths.push('text', '*.text', 'question', '*.question');
  return pino(
    {
      name: 'govai-coach',
      level: options.level ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: { service: 'govai-coach' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Every line logged while a request or job runs names it (see correlation.ts).
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId ? { correlationId } : {};
      },
    },
    options.destination,
  );
}
