import { startTestApp, type RunningApp } from '../support/app-harness';
import { SlackApiRecorder } from '../slack/slack-api-recorder';

/** Native Slack: the prompt goes to the channel with chat.postMessage; its ts is kept with the job. */
describe('scheduled discussion prompts on native Slack', () => {
  const recorder = new SlackApiRecorder();
  let running: RunningApp;
  // A clock the test controls: turns and passes both take it.
  const T0 = new Date('2026-12-01T09:00:00Z');
  const plus = (ms: number) => new Date(T0.getTime() + ms);
  const say = (text: string, now = T0, userId = 'U0FAY') => running.app.coach.handle({ channelId: 'slack', userId, conversationId: 'C0PILOT', scope: 'channel', text, now, locale: 'es-ES' });

  beforeAll(async () => {
    const apiUrl = await recorder.start();
    running = await startTestApp({
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: apiUrl,
      FACILITATORS: 'U0FAY',
      SCHEDULE_TICK_SECONDS: '0',
      REMINDER_TICK_SECONDS: '0',
      COHORT_TICK_SECONDS: '0',
    });
  }, 240_000);
  afterAll(async () => {
    await running?.stop();
    await recorder.stop();
  });

  it('posts the prompt once at the scheduled time and keeps its ts; a channel the bot left is reported to the facilitator', async () => {
    const refused = await say('programar debate 2 en 1 min', T0, 'U0MEMBER');
    expect(refused.replies[0].text).toBe('Solo las personas facilitadoras del curso pueden programar o cancelar preguntas de debate.');
    const past = await say('programar debate 2 2026-11-30 10:00');
    expect(past.replies[0].text).toMatch(/ya ha pasado: elija una hora futura/);

    const { replies } = await say('programar debate 2 en 1 min');
    const id = /Id: ([0-9a-f]{8})\./.exec(replies[0].text ?? '')?.[1];
    expect(id).toBeDefined();
    await running.app.discussionSchedule.tick(plus(59_000));
    expect(recorder.postsTo('C0PILOT')).toHaveLength(0);
    await running.app.discussionSchedule.tick(plus(61_000));
    await running.app.discussionSchedule.tick(plus(3_600_000));
    const posts = recorder.postsTo('C0PILOT');
    expect(posts).toHaveLength(1);
    const blocks = JSON.stringify(posts[0].args.blocks);
    expect(blocks).toContain(running.app.catalog.get('es').modules[1].reflection.slice(0, 40));
    // The card says plainly that thread replies are collected for the summary, and how to opt out.
    expect(blocks).toContain('Las respuestas de este hilo se recogen para el resumen de la persona facilitadora');
    expect(blocks).toContain('empiécela con #private');
    expect(await running.app.jobs.get(id!)).toMatchObject({ state: 'done', result: { messageId: posts[0].response.ts } });

    // The bot was removed from the channel: Slack answers not_in_channel; not retried, the facilitator gets a DM.
    recorder.respond = (method, args) => (method === 'chat.postMessage' && args.channel === 'C0PILOT' ? { ok: false, error: 'not_in_channel' } : undefined);
    const second = /Id: ([0-9a-f]{8})\./.exec((await say('programar debate 3 en 1 min')).replies[0].text ?? '')?.[1];
    await running.app.discussionSchedule.tick(plus(61_000));
    await running.app.discussionSchedule.tick(plus(7_200_000));
    expect(recorder.postsTo('C0PILOT')).toHaveLength(2); // the first prompt and the one refused attempt
    expect(await running.app.jobs.get(second!)).toMatchObject({ state: 'failed', lastError: 'not_in_channel' });
    const dm = recorder.postsTo('U0FAY');
    expect(dm).toHaveLength(1);
    expect(JSON.stringify(dm[0].args.blocks)).toMatch(/no se ha podido publicar: ya no estoy en ese canal/);

    // The facilitator's `my data` export lists the prompts they scheduled; erasure anonymises them.
    const source = running.app.privacy.registry.sources().find((x) => x.name === 'scheduledDiscussions')!;
    const subject = { learnerKey: 'learner:slack:U0FAY', channelId: 'slack', userId: 'U0FAY' };
    expect(await source.export(subject)).toMatchObject({
      count: 2,
      data: expect.arrayContaining([expect.objectContaining({ id, state: 'done' }), expect.objectContaining({ id: second, state: 'failed' })]),
    });
    expect(await source.erase(subject)).toBe(2);
    expect(await source.export(subject)).toBeUndefined();
    expect((await running.app.jobs.get(id!))?.payload.facilitatorKey).toBe('');
  }, 240_000);
});
