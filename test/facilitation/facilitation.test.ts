import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { Coach } from '../../src/core/coach';
import { CommandRegistry } from '../../src/core/command-registry';
import { registerFacilitation } from '../../src/core/facilitation/register-facilitation';
import type { TurnInput } from '../../src/core/turn';
import { renderText } from '../../src/render/text-renderer';
import { localizer, realCatalog, silentLogger } from '../course/harness';

async function setup() {
  const storage = new SqliteStorage(':memory:');
  await storage.open();
  const loc = await localizer();
  const registry = new CommandRegistry(loc);
  registerFacilitation(registry, { catalog: await realCatalog(), storage });
  const coach = new Coach({ storage, localizer: loc, registry, logger: silentLogger, defaultLanguage: 'en' });
  const inChannel = (userId: string, input: Partial<TurnInput>, conversationId = '19:team-channel') =>
    coach.handle({ channelId: 'msteams', userId, conversationId, scope: 'channel', locale: 'en-US', ...input });
  return { coach, inChannel, loc };
}

describe('facilitator tools', () => {
  it('lists every module with a button to open its discussion', async () => {
    const { inChannel } = await setup();
    const [menu] = (await inChannel('facilitator', { text: 'discuss' })).replies;
    expect(menu.items).toHaveLength(6);
    expect(menu.items?.[1].action).toEqual(expect.objectContaining({ command: 'discuss.open', args: { module: 'm2' } }));
  });

  it('opens a module discussion by number, with its prompt, a format and a poll', async () => {
    const { inChannel, loc } = await setup();
    const catalog = await realCatalog();
    const [card, poll] = (await inChannel('facilitator', { text: 'discuss 2' })).replies;
    expect(card.title).toContain(catalog.get('en').modules[1].title);
    expect(card.text).toContain(catalog.get('en').modules[1].reflection.slice(0, 40));
    // Question, format and timing, and what happens to replies in its thread (with the opt-out marker).
    expect(card.text).toMatch(/About 20 minutes, from .+\(UTC\)\./);
    expect(card.text).toContain("Replies in this thread are collected for the facilitator's summary");
    expect(card.text).toContain('start it with #private');
    // The confidence poll is its own live card, right after the prompt.
    expect(poll.choices?.options).toHaveLength(4);
    const text = renderText(poll, loc.forLanguage('en'));
    expect(text).toMatch(/1\. Not yet/);
  });

  it('counts one anonymous vote per person in a conversation, lets a person change it, and hides results below 5 voters', async () => {
    const { inChannel } = await setup();
    await inChannel('a', { action: { command: 'poll.vote', args: { module: 'm1', answer: '4' } } });
    await inChannel('b', { action: { command: 'poll.vote', args: { module: 'm1', answer: '2' } } });
    await inChannel('b', { action: { command: 'poll.vote', args: { module: 'm1', answer: '3' } } });
    const [results] = (await inChannel('c', { action: { command: 'poll.results', args: { module: 'm1' } } })).replies;
    expect(results.text).toMatch(/2 votes so far/);
    expect(results.items).toBeUndefined();
    for (const voter of ['c', 'd', 'e']) await inChannel(voter, { action: { command: 'poll.vote', args: { module: 'm1', answer: '3' } } });
    const [shown] = (await inChannel('f', { action: { command: 'poll.results', args: { module: 'm1' } } })).replies;
    expect(shown.items?.map((i) => i.badge)).toEqual(['0', '0', '4', '1']);
    expect(JSON.stringify(shown)).not.toMatch(/"a"|"b"/);
    const [elsewhere] = (await inChannel('c', { action: { command: 'poll.results', args: { module: 'm1' } } }, '19:other-channel')).replies;
    expect(elsewhere.text).toMatch(/0 votes so far/);
  });

  it('answers a poll by typing the option number', async () => {
    const { inChannel } = await setup();
    await inChannel('d', { text: 'discuss 3' });
    const [after, note] = (await inChannel('d', { text: '1' })).replies;
    expect(after.text).toMatch(/1 vote so far/);
    expect(note).toMatchObject({ ephemeral: true, text: expect.stringMatching(/Your vote counted: Not yet/) });
  });

  it('explains how to pick a module when the number does not exist', async () => {
    const { inChannel } = await setup();
    const [reply] = (await inChannel('e', { text: 'discuss 9' })).replies;
    expect(reply.text).toMatch(/from 1 to 6/);
  });
});
