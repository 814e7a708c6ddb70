import type { Reply } from '../intents/reply';
import type { ProactiveOutcome, ProactivePort } from '../ports/proactive';

/** Routes each learner to the sender of their channel (learner keys are `learner:<channel>:<user>`). */
export class ProactiveByChannel implements ProactivePort {
  constructor(
    private readonly fallback: ProactivePort,
    private readonly byChannel: Record<string, ProactivePort>,
  ) {}

  sendToLearner(learnerKey: string, replies: Reply[]): Promise<ProactiveOutcome> {
    const channel = learnerKey.split(':')[1] ?? '';
    return (this.byChannel[channel] ?? this.fallback).sendToLearner(learnerKey, replies);
  }
}
