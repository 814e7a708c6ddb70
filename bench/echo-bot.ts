import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

/**
 * The yardstick of `npm run bench:turns`: the smallest bot on the same stack (botbuilder
 * CloudAdapter + restify, anonymous, expectReplies), which echoes every message.
 */
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const server = restify.createServer();
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, async (context) => {
    if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  });
});
server.get('/healthz', (_req, res, next) => {
  res.send(200, { ok: true });
  next();
});
server.listen(Number(process.env.PORT ?? 3979), '127.0.0.1', () => process.stdout.write(`echo bot on ${server.url}\n`));
