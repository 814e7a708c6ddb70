import { describeActivityProblems, incomingActivitySchema, parseIncomingActivity, TEAMS_FILE_DOWNLOAD_INFO } from '../../src/channels/botframework/activity-schema';
import { teamsActivity } from '../support/app-harness';

const usual = () =>
  teamsActivity({
    text: 'help',
    entities: [{ type: 'clientInfo', locale: 'en-US' }],
    attachments: [{ contentType: 'text/html', content: '<p>help</p>' }],
    channelData: { tenant: { id: 'tenant-1' } },
  });

type Variant = [string, (a: Record<string, any>) => void];

/** Each a way a sender may get an activity wrong (or unusual but right). */
const variants: Variant[] = [
  ['as sent', () => {}],
  [
    'no optional fields',
    (a) => {
      for (const k of ['id', 'text', 'locale', 'deliveryMode', 'entities', 'attachments', 'channelData']) delete a[k];
    },
  ],
  ['empty type', (a) => (a.type = '')],
  ['long type', (a) => (a.type = 'x'.repeat(65))],
  ['numeric id', (a) => (a.id = 7)],
  ['null text', (a) => (a.text = null)],
  ['long locale', (a) => (a.locale = 'x'.repeat(33))],
  ['long time zone', (a) => (a.localTimezone = 'x'.repeat(65))],
  ['time zone', (a) => (a.localTimezone = 'Europe/Lisbon')],
  ['long name', (a) => (a.name = 'x'.repeat(257))],
  ['no channel', (a) => delete a.channelId],
  ['service URL with spaces', (a) => (a.serviceUrl = '  https://smba.trafficmanager.net/emea/ ')],
  ['service URL not a URL', (a) => (a.serviceUrl = 'not a url')],
  ['other service URL', (a) => (a.serviceUrl = 'https://smba.trafficmanager.net/amer/')],
  ['long service URL', (a) => (a.serviceUrl = `https://x.example/${'a'.repeat(2048)}`)],
  ['sender without id', (a) => delete a.from.id],
  ['sender with a long name', (a) => (a.from.name = 'x'.repeat(513))],
  ['sender as a string', (a) => (a.from = 'ana')],
  ['recipient with null aadObjectId', (a) => (a.recipient.aadObjectId = null)],
  ['conversation as a list', (a) => (a.conversation = [a.conversation])],
  ['conversation isGroup as text', (a) => (a.conversation.isGroup = 'true')],
  ['conversation isGroup', (a) => (a.conversation.isGroup = true)],
  ['long conversation id', (a) => (a.conversation.id = 'x'.repeat(1025))],
  ['members added', (a) => (a.membersAdded = [{ id: '28:bot' }, { id: '29:u', name: 'U' }])],
  ['members added without id', (a) => (a.membersAdded = [{ name: 'U' }])],
  ['members removed as object', (a) => (a.membersRemoved = { id: 'x' })],
  ['malformed entities', (a) => (a.entities = [{ kind: 'mention' }])],
  ['entities not a list', (a) => (a.entities = 'x')],
  ['too many entities', (a) => (a.entities = Array.from({ length: 101 }, () => ({ type: 't' })))],
  ['attachment without type', (a) => (a.attachments = [{ content: 'x' }])],
  ['Teams file', (a) => (a.attachments = [{ contentType: TEAMS_FILE_DOWNLOAD_INFO, name: 'roster.csv', content: { downloadUrl: 'https://x.sharepoint.com/f', fileType: 'csv' } }])],
  ['incomplete Teams file', (a) => (a.attachments = [{ contentType: TEAMS_FILE_DOWNLOAD_INFO, name: 'roster.csv', content: {} }])],
  ['a value', (a) => (a.value = { command: 'next', args: { lesson: 'm1-l1' } })],
  [
    'empty object',
    (a) => {
      for (const k of Object.keys(a)) delete a[k];
    },
  ],
];

describe('parseIncomingActivity', () => {
  it('accepts, passes on and refuses exactly what the activity schema does, with the same 400 text', () => {
    // Twice: the second round meets service URLs already seen.
    for (let round = 0; round < 2; round++) {
      for (const [name, change] of variants) {
        const activity: Record<string, any> = usual();
        change(activity);
        const expected = incomingActivitySchema.safeParse(structuredClone(activity));
        const got = parseIncomingActivity(structuredClone(activity));
        expect({ name, success: got.success }).toEqual({ name, success: expected.success });
        if (got.success && expected.success) expect(got.data).toEqual(expected.data);
        if (!got.success && !expected.success) expect(describeActivityProblems(got.error)).toBe(describeActivityProblems(expected.error));
      }
    }
    expect(parseIncomingActivity(null).success).toBe(false);
    expect(parseIncomingActivity([usual()]).success).toBe(false);
  });
});
