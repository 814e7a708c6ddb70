import type { MetricsPort, TurnKind, TurnOutcome } from '../ports/metrics';
import type { TurnInput, TurnResult } from './turn';

/**
 * Runs one turn and reports it: kind, outcome and time per channel, and the Q&A outcome read
 * from the reply intents (an 'answer' reply is a question answered with citations, a
 * 'not-covered' one a question declined), so the Q&A code itself needs no metrics calls.
 */
export async function measureTurn(metrics: MetricsPort, input: TurnInput, run: () => Promise<TurnResult>): Promise<TurnResult> {
  const started = performance.now();
  const result = await run();
  metrics.turn(input.channelId, kindOf(input), outcomeOf(result), (performance.now() - started) / 1000);
  for (const reply of result.replies) {
    if (reply.intent === 'answer') metrics.qa('answered');
    else if (reply.intent === 'not-covered') metrics.qa('declined');
  }
  return result;
}

function kindOf(input: TurnInput): TurnKind {
  if (input.event) return 'event';
  return input.action ? 'action' : 'message';
}

function outcomeOf(result: TurnResult): TurnOutcome {
  if (result.duplicate) return 'duplicate';
  return result.replies.some((r) => r.intent === 'error') ? 'error' : 'ok';
}
