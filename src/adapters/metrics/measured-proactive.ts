import type { MetricsPort } from '../../ports/metrics';
import type { ProactiveOutcome, ProactivePort } from '../../ports/proactive';

/** Counts every proactive send by the learner's channel and its outcome; a thrown send counts as failed. */
export class MeasuredProactive implements ProactivePort {
  constructor(
    private readonly inner: ProactivePort,
    private readonly metrics: MetricsPort,
  ) {}

  async sendToLearner(learnerKey: string, replies: Parameters<ProactivePort['sendToLearner']>[1]): Promise<ProactiveOutcome> {
    const channelId = channelOfLearnerKey(learnerKey);
    try {
      const outcome = await this.inner.sendToLearner(learnerKey, replies);
      this.metrics.proactiveSend(channelId, outcome);
      return outcome;
    } catch (err) {
      this.metrics.proactiveSend(channelId, 'failed');
      throw err;
    }
  }
}

/** "learner:<channel>:<user>" (see learnerKey in src/core/learner.ts) → "<channel>". */
function channelOfLearnerKey(key: string): string {
  const [, channelId = ''] = key.split(':', 2);
  return channelId;
}
