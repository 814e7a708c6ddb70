import { exchange, localeString, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';
import { startFakeConnector } from '../teams/card-support';
import { blockKitProblems } from './block-kit-limits';

/** An activity as Azure Bot Service's Slack channel sends it (from.id is "<user>:<team>"). */
function slackActivity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return teamsActivity({
    channelId: 'slack',
    serviceUrl: 'https://slack.botframework.com/',
    from: { id: 'U42:T1', name: 'ana' },
    recipient: { id: 'B1:T1', name: 'govai-coach' },
    conversation: { id: 'B1:T1:D42', isGroup: false },
    ...overrides,
  });
}

describe('Slack through Azure Bot Service (/api/messages, channelId "slack")', () => {
  let running: RunningApp;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  beforeAll(async () => {
    // Stands in for the Bot Connector at slack.botframework.com: one-to-one chats are created there.
    connector = await startFakeConnector();
    running = await startTestApp({ LOCAL_SERVICE_URLS: connector.serviceUrl, REMINDER_TICK_SECONDS: '0' });
  });
  afterAll(async () => {
    await running.stop();
    await connector.close();
  });

  it('answers with Block Kit in channelData and a plain-text fallback, never an Adaptive Card', async () => {
    const replies = await exchange(running.url, slackActivity({ text: 'help' }));
    expect(replies).toHaveLength(1);
    const [reply] = replies;
    expect(reply.text).toBe('What I can do');
    expect(reply.channelData.text).toBe('What I can do');
    expect(blockKitProblems(reply.channelData)).toEqual([]);
    expect(JSON.stringify(reply.channelData.blocks)).toContain('What I can do');
    expect((reply.attachments ?? []).filter((a: { contentType: string }) => a.contentType === 'application/vnd.microsoft.card.adaptive')).toEqual([]);
    expect(JSON.stringify(reply)).not.toContain('AdaptiveCard');
  });

  it('maps a Block Kit button press forwarded in channelData to the button’s action', async () => {
    const [menu] = await exchange(running.url, slackActivity({ text: 'language' }));
    const buttons = menu.channelData.blocks.flatMap((b: { type: string; elements?: { type: string; value: string; text: { text: string } }[] }) => (b.type === 'actions' ? b.elements! : []));
    const french = buttons.find((b: { text: { text: string } }) => b.text.text === 'Français');
    const press = slackActivity({
      text: '',
      channelData: { SlackMessage: { payload: { type: 'block_actions', user: { id: 'U42' }, actions: [{ type: 'button', action_id: 'govai-3', value: french.value }] } } },
    });
    const [reply] = await exchange(running.url, press);
    expect(reply.locale).toBe('fr');
    // The same learner record as native Slack: keyed by the Slack user id without the team.
    expect((await running.app.coach.readLearner('slack', 'U42'))?.language).toBe('fr');
  });

  it('sends progress asked for in a Slack channel to a new one-to-one chat as Block Kit; the channel gets only the pointer', async () => {
    const progressTitle = localeString('en', 'course', 'progress.title');
    const pointer = localeString('en', 'common', 'personal.sentPrivately');
    // A channel of many (isGroup) and a channel of two, which Azure marks isGroup false: both are channels.
    for (const [user, isGroup] of [
      ['U77', true],
      ['U78', false],
    ] as const) {
      const mark = connector.calls.length;
      const inChannel = await exchange(
        running.url,
        slackActivity({
          text: '@govai-coach progress',
          from: { id: `${user}:T1`, name: user.toLowerCase() },
          conversation: { id: 'B1:T1:C0COHORT', isGroup },
          serviceUrl: connector.serviceUrl,
          entities: [{ type: 'mention', text: '@govai-coach', mentioned: { id: 'B1:T1', name: 'govai-coach' } }],
        }),
      );
      expect(inChannel.map((a) => a.text)).toEqual([pointer]);
      expect(JSON.stringify(inChannel)).not.toContain(progressTitle);
      expect(blockKitProblems(inChannel[0].channelData)).toEqual([]);

      const calls = connector.calls.slice(mark);
      const created = calls.filter((c) => c.method === 'POST' && /\/v3\/conversations\/?$/.test(c.url));
      expect(created).toHaveLength(1);
      // The Slack ids of the bot and of the learner ("<id>:<team>") name the one-to-one chat; Slack has no tenant.
      expect(created[0].body).toMatchObject({ isGroup: false, bot: { id: 'B1:T1' }, members: [{ id: `${user}:T1` }] });
      expect(created[0].body.tenantId).toBeUndefined();
      const conversationId = `sent-${connector.calls.indexOf(created[0]) + 1}`;
      const delivered = calls.filter((c) => c.method === 'POST' && /\/activities$/.test(c.url));
      expect(delivered.map((c) => decodeURIComponent(c.url))).toEqual([`/v3/conversations/${conversationId}/activities`]);
      const progress = delivered[0].body;
      expect(blockKitProblems(progress.channelData)).toEqual([]);
      expect(JSON.stringify(progress.channelData.blocks)).toContain(progressTitle);
      expect(progress.attachments ?? []).toEqual([]);
    }
  });

  it('keeps the one-to-one chat it opened from a channel, so a reminder set there reaches the learner who never wrote to the bot directly', async () => {
    const mark = connector.calls.length;
    const inChannel = await exchange(
      running.url,
      slackActivity({
        text: '@govai-coach remind me at 08:30',
        from: { id: 'U90:T1', name: 'rue' },
        conversation: { id: 'B1:T1:C0COHORT', isGroup: true },
        serviceUrl: connector.serviceUrl,
        entities: [{ type: 'mention', text: '@govai-coach', mentioned: { id: 'B1:T1', name: 'govai-coach' } }],
      }),
    );
    expect(inChannel.map((a) => a.text)).toEqual([localeString('en', 'common', 'personal.sentPrivately')]);
    const created = connector.calls.slice(mark).find((c) => c.method === 'POST' && /\/v3\/conversations\/?$/.test(c.url))!;
    const opened = `sent-${connector.calls.indexOf(created) + 1}`;

    const reminder = await running.app.storage.read<{ nextDueAt: string }>('reminder:learner:slack:U90');
    const due = new Date(reminder!.value.nextDueAt);
    const beforeNudge = connector.calls.length;
    const report = await running.app.reminders.tick(new Date(due.getTime() + 60_000));
    expect(report.sent).toBe(1);
    const nudges = connector.calls.slice(beforeNudge).filter((c) => c.method === 'POST' && /\/activities$/.test(c.url));
    expect(nudges.map((c) => decodeURIComponent(c.url))).toEqual([`/v3/conversations/${opened}/activities`]);
    expect(blockKitProblems(nudges[0].body.channelData)).toEqual([]);
    expect(JSON.stringify(nudges[0].body.channelData.blocks)).toMatch(/stop reminders/i);
  });
});
