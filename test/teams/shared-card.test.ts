import { shared, type Reply } from '../../src/intents/reply';
import { cardActivity } from '../../src/channels/botframework/adaptive-card-activity';
import { replyBodyJson } from '../../src/channels/botframework/reply-body-json';
import { createLocalizer } from '../../src/i18n/i18n';
import { exchange, startTestApp, teamsActivity, type RunningApp } from '../support/app-harness';

const helpLike = (): Reply => ({
  intent: 'help',
  lang: 'en',
  dir: 'ltr',
  title: 'What I can do',
  text: 'Type a command.',
  items: [{ title: 'next', text: 'the next step' }],
  actions: [{ label: 'Start', command: 'start', style: 'primary' }],
  summary: 'What I can do',
});

describe('a card shared between learners', () => {
  it('is built once for a shared reply and never for a reply of one turn', async () => {
    const t = (await createLocalizer()).forLanguage('en');
    const reply = shared(helpLike());
    expect(cardActivity(reply, t, 'execute')).toBe(cardActivity(reply, t, 'execute'));
    expect(cardActivity(reply, t, 'submit')).not.toEqual(cardActivity(reply, t, 'execute'));
    expect(cardActivity(reply, t, 'execute')).toEqual(cardActivity(helpLike(), t, 'execute'));
    expect(cardActivity(helpLike(), t, 'execute')).not.toBe(cardActivity(helpLike(), t, 'execute'));
  });

  it('is written into a response as JSON.stringify would write it, also when other text looks like its placeholder', async () => {
    const t = (await createLocalizer()).forLanguage('en');
    const card = cardActivity(shared(helpLike()), t, 'execute');
    const body = {
      activities: [
        { ...card, conversation: { id: 'a:1' } },
        { type: 'message', text: 'x' },
        { ...card, conversation: { id: 'a:2' } },
      ],
    };
    expect(replyBodyJson(body)).toBe(JSON.stringify(body));
    const tricky = { activities: [{ ...card, text: '\u0000shared-attachment-content\u0000' }] };
    expect(replyBodyJson(tricky)).toBe(JSON.stringify(tricky));
    expect(replyBodyJson({ status: 200 })).toBe(JSON.stringify({ status: 200 }));
  });
});

describe('help over POST /api/messages', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => running.stop());

  it('gives every learner the same card, addressed to their own conversation', async () => {
    const ask = (n: number) =>
      teamsActivity({
        text: 'help',
        from: { id: `29:user-${n}`, name: `Learner ${n}`, aadObjectId: `aad-${n}` },
        conversation: { id: `a:personal-${n}`, conversationType: 'personal', tenantId: 'tenant-1' },
      });
    const [first] = await exchange(running.url, ask(1));
    const [second] = await exchange(running.url, ask(2));
    const [again] = await exchange(running.url, ask(1));
    expect(second.attachments).toEqual(first.attachments);
    expect(JSON.stringify(first.attachments)).toMatch(/What I can do/);
    expect([first.conversation.id, second.conversation.id, again.conversation.id]).toEqual(['a:personal-1', 'a:personal-2', 'a:personal-1']);
    expect(second.recipient.id).toBe('29:user-2');
  });
});
