import { exchange, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';
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
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => running.stop());

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
});
