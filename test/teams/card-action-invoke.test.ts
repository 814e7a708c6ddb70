import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { ConversationReferenceStore } from '../../src/channels/botframework/conversation-references';
import { createCardActionInvokeHandler } from '../../src/channels/botframework/teams/card-action-invoke';
import { Coach } from '../../src/core/coach';
import { CommandRegistry } from '../../src/core/command-registry';
import type { Reply } from '../../src/intents/reply';
import { createLocalizer } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logging/logger';

const logger = createLogger({ level: 'silent' });

async function setup() {
  const storage = new SqliteStorage(':memory:');
  await storage.open();
  const localizer = await createLocalizer();
  const registry = new CommandRegistry(localizer);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  registry.add({
    name: 'test.slow',
    handler: async (turn) => {
      await gate;
      return [turn.reply({ intent: 'answer', title: 'The slow answer' })];
    },
  });
  registry.add({ name: 'test.fast', handler: (turn) => [turn.reply({ intent: 'notice', title: 'Fast' }), turn.reply({ intent: 'notice', title: 'Also' })] });
  const coach = new Coach({ storage, localizer, registry, logger, defaultLanguage: 'en' });
  const late: { replies: Reply[] }[] = [];
  let delivered!: () => void;
  const deliveredLate = new Promise<void>((resolve) => (delivered = resolve));
  const handler = createCardActionInvokeHandler({
    coach,
    localizer,
    logger,
    references: new ConversationReferenceStore(storage),
    proactive: {
      sendToReference: async (_reference, replies) => {
        late.push({ replies });
        delivered();
        return { result: 'sent', gone: false };
      },
    },
    defaultLanguage: 'en',
    budgetMs: 20,
  });
  return { storage, handler, release, late, deliveredLate };
}

function invoke(command: string, conversationType = 'personal'): { context: TurnContext; sent: Partial<Activity>[] } {
  const activity = {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `inv-${command}-${conversationType}`,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    from: { id: '29:ana', aadObjectId: 'aad-ana' },
    recipient: { id: '28:bot', name: 'bot' },
    conversation: { id: `conv-${conversationType}`, conversationType },
    value: { action: { type: 'Action.Execute', verb: command, data: { command, args: {} } } },
  } as Activity;
  const context = new TurnContext(new TestAdapter(), activity);
  const sent: Partial<Activity>[] = [];
  context.onSendActivities(async (_ctx, activities, next) => {
    sent.push(...activities);
    return next();
  });
  return { context, sent };
}

describe('adaptiveCard/action invoke handler', () => {
  it('answers within the budget with a "working on it" card, then delivers the result as a message', async () => {
    const env = await setup();
    try {
      const { context } = invoke('test.slow');
      const response = await env.handler(context);
      expect((response.body as any).value.body[0].text).toBe('Working on it');
      expect(env.late).toHaveLength(0);
      env.release();
      await env.deliveredLate;
      expect(env.late[0].replies[0].title).toBe('The slow answer');
    } finally {
      await env.storage.close();
    }
  });

  it('in a channel, keeps the pressed card for everyone and posts the replies as messages', async () => {
    const env = await setup();
    try {
      const { context, sent } = invoke('test.fast', 'channel');
      const response = await env.handler(context);
      expect(response.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.any(String) });
      expect(sent.map((a) => (a.attachments![0].content as any).body[0].text)).toEqual(['Fast', 'Also']);

      // A replay there must not turn the shared card into a notice either.
      const replay = invoke('test.fast', 'channel');
      const again = await env.handler(replay.context);
      expect(again.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringMatching(/already received/) });
      expect(replay.sent).toHaveLength(0);
    } finally {
      await env.storage.close();
    }
  });
});
