import type { TurnContext } from 'botbuilder';
import { teamsAnswerStream } from '../../src/channels/botframework/teams/teams-answer-stream';
import type { Reply } from '../../src/intents/reply';
import { createLocalizer, type Localizer } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logging/logger';
import { teamsCardRenderer } from '../../src/channels/botframework/adaptive-card-activity';

const logger = createLogger({ level: 'silent' });

/** A Teams turn whose sends are recorded; the channel answers each with an id. */
function teamsTurn(activity: Record<string, unknown> = {}) {
  const sent: any[] = [];
  const context = {
    activity: { type: 'message', channelId: 'msteams', conversation: { id: 'a:1', conversationType: 'personal' }, ...activity },
    sendActivity: async (a: unknown) => {
      sent.push(a);
      return { id: `activity-${sent.length}` };
    },
  } as unknown as TurnContext;
  return { context, sent };
}

const answer: Reply = { intent: 'answer', lang: 'en', dir: 'ltr', title: 'Answer', text: 'A [1]. B [1].', items: [{ title: '[1] Module 1 › Lesson' }], summary: 'A [1]. B [1].' };

describe('Teams answer stream (throttling and fallbacks)', () => {
  let localizer: Localizer;
  beforeAll(async () => {
    localizer = await createLocalizer();
  });
  afterEach(() => jest.useRealTimers());

  it('merges text that arrives within the interval into one update, and sends the next one an interval after the last', async () => {
    jest.useFakeTimers();
    const { context, sent } = teamsTurn();
    const stream = teamsAnswerStream(context, { intervalMs: 1000, logger })!;
    stream.progress({ kind: 'status', text: 'Looking…' });
    stream.progress({ kind: 'partial', text: 'A.', dir: 'ltr' });
    stream.progress({ kind: 'partial', text: 'A. B.', dir: 'ltr' });
    await jest.advanceTimersByTimeAsync(0);
    expect(sent.map((a) => [a.channelData.streamType, a.text])).toEqual([
      ['informative', 'Looking…'],
      ['streaming', 'A. B.'],
    ]);
    stream.progress({ kind: 'partial', text: 'A. B. C.', dir: 'ltr' });
    stream.progress({ kind: 'partial', text: 'A. B. C. D.', dir: 'ltr' });
    await jest.advanceTimersByTimeAsync(900);
    expect(sent).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(100);
    expect(sent.map((a) => a.text)).toEqual(['Looking…', 'A. B.', 'A. B. C. D.']);
    expect(sent.map((a) => a.channelData.streamSequence)).toEqual([1, 2, 3]);
    expect(sent.slice(1).every((a) => a.channelData.streamId === 'activity-1')).toBe(true);

    expect(await stream.finish(answer, teamsCardRenderer, localizer.forLanguage('en'))).toBe(true);
    const final = sent[3];
    expect(final).toMatchObject({ type: 'message', text: 'A [1]. B [1].', channelData: { streamType: 'final', streamId: 'activity-1' } });
    // The answer text is the message's; the card keeps the title and the sources, so nothing shows twice.
    expect(JSON.stringify(final.attachments[0].content.body)).not.toContain('A [1]. B [1].');
    expect(JSON.stringify(final.attachments)).toContain('[1] Module 1 › Lesson');
  });

  it('never sends an update that drops text already shown, and no informative line once the answer is showing', async () => {
    const { context, sent } = teamsTurn();
    const stream = teamsAnswerStream(context, { intervalMs: 0, logger })!;
    stream.progress({ kind: 'partial', text: 'A. B.', dir: 'ltr' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    stream.progress({ kind: 'status', text: 'Looking…' });
    stream.progress({ kind: 'partial', text: 'A. C.', dir: 'ltr' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sent.map((a) => a.text)).toEqual(['A. B.']);
    // The final message replaces the streamed text with the checked answer.
    await stream.finish(answer, teamsCardRenderer, localizer.forLanguage('en'));
    expect(sent.at(-1).text).toBe('A [1]. B [1].');
  });

  it('is not offered where Teams cannot stream, and leaves the reply to normal delivery when nothing was streamed', async () => {
    expect(teamsAnswerStream(teamsTurn({ conversation: { id: '19:c', conversationType: 'groupChat', isGroup: true } }).context, { intervalMs: 0, logger })).toBeUndefined();
    expect(teamsAnswerStream(teamsTurn({ conversation: { id: '19:c;messageid=1', conversationType: 'channel' } }).context, { intervalMs: 0, logger })).toBeUndefined();
    expect(teamsAnswerStream(teamsTurn({ deliveryMode: 'expectReplies' }).context, { intervalMs: 0, logger })).toBeUndefined();
    expect(teamsAnswerStream(teamsTurn({ type: 'invoke' }).context, { intervalMs: 0, logger })).toBeUndefined();
    const { context, sent } = teamsTurn();
    const idle = teamsAnswerStream(context, { intervalMs: 0, logger })!;
    expect(await idle.finish(answer, teamsCardRenderer, localizer.forLanguage('en'))).toBe(false);
    expect(sent).toEqual([]);
  });

  it('isolates Latin runs in a right-to-left answer as it streams', async () => {
    const { context, sent } = teamsTurn();
    const stream = teamsAnswerStream(context, { intervalMs: 0, logger })!;
    stream.progress({ kind: 'partial', text: 'أطلقت إستونيا X-Road عام 2001 [1].', dir: 'rtl' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sent[0].text).not.toBe('أطلقت إستونيا X-Road عام 2001 [1].');
    expect(sent[0].text).toContain('\u2066X-Road\u2069');
  });
});
