import { SHARED_INDEX_DIR } from '../support/app-harness';
import path from 'node:path';
import { createApp, type App } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/config';
import { learnerKey, newLearnerRecord, type LearnerRecord } from '../../src/core/learner';
import { newCourseProgress } from '../../src/core/course/progress-state';
import { createLogger } from '../../src/logging/logger';
import type { StoragePort } from '../../src/ports/storage';
import type { JobPort } from '../../src/ports/jobs';
import { REPO_ROOT, teamsActivity, tempDir } from '../support/app-harness';
import { adaptiveCardValidator } from '../teams/card-support';

export const BOT = { id: '28:bot', name: 'govai-coach' };
export const FAY = { id: '29:fay', name: 'Fay Facilitator', aadObjectId: 'aad-fay' };
export const CHANNEL = '19:pilot@thread.tacv2';
const CARD = 'application/vnd.microsoft.card.adaptive';
const validate = adaptiveCardValidator();

/** Jest budget for tests that start the real app: starting takes long on a loaded CI machine (nothing asserts timing). */
export const APP_START_BUDGET_MS = 240_000;

/** The real app on an ephemeral port; `storage` lets several instances share one PostgreSQL table. */
export async function startCohortApp(env: Record<string, string>, storage?: StoragePort, jobs?: JobPort): Promise<{ app: App; url: string }> {
  const level = process.env.TEST_LOG_LEVEL ?? 'silent';
  // One retrieval index for every app these tests start (it is rebuilt only when the course changes).
  const config = loadConfig(
    {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: level,
      DATA_DIR: env.DATA_DIR ?? tempDir(),
      INDEX_DIR: SHARED_INDEX_DIR,
      KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'),
      REMINDER_TICK_SECONDS: '0',
      COHORT_TICK_SECONDS: '0',
      ...env,
    },
    REPO_ROOT,
  );
  const app = await createApp(config, { logger: createLogger({ level }), ...(storage ? { storage } : {}), ...(jobs ? { jobs } : {}) });
  return { app, url: await app.start() };
}

/** A message in the pilot channel that @mentions the bot. */
export function channelMessage(serviceUrl: string, text: string, from: Record<string, string> = FAY, conversation = CHANNEL): Record<string, unknown> {
  return teamsActivity({
    serviceUrl,
    text: `<at>govai-coach</at> ${text}`,
    from,
    conversation: { id: `${conversation};messageid=${Date.now()}`, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
    entities: [{ type: 'mention', text: '<at>govai-coach</at>', mentioned: BOT }],
    channelData: { channel: { id: conversation }, team: { id: '19:team@thread.tacv2' }, tenant: { id: 'tenant-1' } },
  });
}

/** A message in someone's personal chat with the bot. */
export function personalMessage(serviceUrl: string, text: string, from: Record<string, string> = FAY): Record<string, unknown> {
  return teamsActivity({ serviceUrl, text, from, conversation: { id: `a:personal-${from.id}`, conversationType: 'personal', tenantId: 'tenant-1' } });
}

/** The Adaptive Card of an activity, validated against the public 1.5 schema. */
export function cardOf(activity: any): any {
  const attachment = activity?.attachments?.find((a: any) => a.contentType === CARD);
  if (!attachment) throw new Error(`no Adaptive Card in ${JSON.stringify(activity).slice(0, 300)}`);
  if (!validate(attachment.content)) throw new Error(`invalid card: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  return attachment.content;
}

/** All text of a card (text blocks, facts, titles), for assertions on what a reader sees. */
export function cardText(card: any): string {
  const out: string[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (typeof node.text === 'string') out.push(node.text);
    if (typeof node.title === 'string') out.push(node.title);
    if (typeof node.value === 'string' && node.title) out.push(node.value);
    for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
  };
  walk(card.body);
  return out.join('\n');
}

/** Records a learner's course progress the way the course feature stores it. */
export async function recordProgress(storage: StoragePort, userId: string, change: (p: ReturnType<typeof newCourseProgress>) => void, channelId = 'msteams'): Promise<void> {
  const key = learnerKey(channelId, userId);
  const stored = await storage.read<LearnerRecord>(key);
  const learner = stored?.value ?? newLearnerRecord(channelId, userId, new Date());
  const progress = (learner.data.course as ReturnType<typeof newCourseProgress> | undefined) ?? newCourseProgress();
  change(progress);
  learner.data.course = progress;
  await storage.write(key, learner);
}

/** Runs welcome passes until `done` holds (each pass settles what it can; throttled welcomes wait for a later one). */
export async function passUntil(apps: App[], done: () => boolean, passes = 20): Promise<void> {
  for (let i = 0; i < passes && !done(); i++) await Promise.all(apps.map((a) => a.cohortWelcomes.tick()));
  if (!done()) throw new Error('welcome passes did not settle');
}
