import { signSlackRequest } from '../../src/channels/slack/slack-signature';
import { APP_START_BUDGET_MS, CHANNEL, cardOf, cardText, channelMessage, startCohortApp } from '../cohorts/cohort-harness';
import { channelRoster, startTeamsStandIn } from '../cohorts/teams-connector-stand-in';
import { postJson, SHARED_INDEX_DIR, startTestApp } from '../support/app-harness';
import { SlackApiRecorder } from '../slack/slack-api-recorder';

/** A poll with a closing time is closed on time through the job port and its card redrawn with the final result, with nobody voting. */
describe('polls closing on time', () => {
  it(
    'Teams: the card is updated in place (PUT) once the closing time passes',
    async () => {
      const standIn = await startTeamsStandIn({ channels: { [CHANNEL]: channelRoster(3) } });
      const { app, url } = await startCohortApp({ FACILITATORS: 'aad-fay', LOCAL_SERVICE_URLS: standIn.serviceUrl, SCHEDULE_TICK_SECONDS: '0' });
      try {
        const created = await postJson(`${url}/api/messages`, { ...channelMessage(standIn.serviceUrl, 'poll "Coffee or tea?" "Coffee" "Tea" closes in 1 min'), deliveryMode: undefined });
        expect(created.status).toBe(200);
        const cardId = `activity-${standIn.posts.length}`;
        expect(cardText(cardOf(standIn.posts[standIn.posts.length - 1].activity))).toMatch(/Closes Dec/);
        expect(await app.pollClosing.tick(new Date(Date.now() + 30_000))).toEqual({ closed: 0 });
        expect(standIn.updates).toHaveLength(0);
        expect(await app.pollClosing.tick(new Date(Date.now() + 61_000))).toEqual({ closed: 1 });
        await app.pollClosing.tick(new Date(Date.now() + 3_600_000));
        expect(standIn.updates).toHaveLength(1);
        expect(standIn.updates[0]).toMatchObject({ conversationId: CHANNEL, activityId: cardId });
        const card = cardOf(standIn.updates[0].activity);
        expect(cardText(card)).toContain('This poll is closed. 0 people voted.');
        expect(JSON.stringify(card)).not.toContain('poll.vote');
      } finally {
        await app.stop();
        await standIn.close();
      }
    },
    APP_START_BUDGET_MS,
  );

  it(
    'Slack: chat.update redraws the poll message once the closing time passes',
    async () => {
      const recorder = new SlackApiRecorder();
      const apiUrl = await recorder.start();
      const running = await startTestApp({
        INDEX_DIR: SHARED_INDEX_DIR,
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_API_URL: apiUrl,
        FACILITATORS: 'UFAY',
        REMINDER_TICK_SECONDS: '0',
        SCHEDULE_TICK_SECONDS: '0',
      });
      try {
        const body = JSON.stringify({
          token: 't',
          team_id: 'T1',
          api_app_id: 'A1',
          type: 'event_callback',
          event_id: 'EvClose1',
          event_time: Math.floor(Date.now() / 1000),
          event: { type: 'app_mention', user: 'UFAY', channel: 'CCLOSE', text: '<@UBOT> poll "Coffee or tea?" "Coffee" "Tea" closes in 1 min', ts: '1700000800.000001' },
        });
        const ts = String(Math.floor(Date.now() / 1000));
        await (
          await fetch(`${running.url}/api/slack/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest('secret', ts, body) },
            body,
          })
        ).text();
        const [card] = await recorder.waitForChannel('CCLOSE');
        // The event is acknowledged before it is handled: wait until the card's place is remembered.
        for (let i = 0; i < 100 && !(await running.app.storage.list('slack-message:CCLOSE:')).length; i++) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await running.app.pollClosing.tick(new Date(Date.now() + 61_000))).toEqual({ closed: 1 });
        const [update] = await recorder.waitForUpdate('CCLOSE');
        expect(update.args.ts).toBe(card.response.ts);
        expect(JSON.stringify(update.args.blocks)).toContain('This poll is closed. 0 people voted.');
        expect(JSON.stringify(update.args.blocks)).not.toContain('poll.vote');

        // The card's saved place is kept for the discussion retention period (365 days by default), then purged.
        const DAY = 86_400_000;
        expect(await running.app.privacy.retention.runIfDue(new Date(Date.now() + DAY))).toMatchObject({ outcome: 'ran', purged: { slackChannelCards: 0 } });
        expect(await running.app.storage.list('slack-message:CCLOSE:')).toHaveLength(1);
        expect(await running.app.privacy.retention.runIfDue(new Date(Date.now() + 366 * DAY))).toMatchObject({ outcome: 'ran', purged: { slackChannelCards: 1 } });
        expect(await running.app.storage.list('slack-message:CCLOSE:')).toEqual([]);
      } finally {
        await running.stop();
        await recorder.stop();
      }
    },
    APP_START_BUDGET_MS,
  );
});
