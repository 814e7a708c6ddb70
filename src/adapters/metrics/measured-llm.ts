import { LlmError, type CondenseInput, type DiscussionSummaryInput, type ExerciseFeedbackInput, type GenerateAnswerInput, type LlmCallOptions, type LlmPort } from '../../ports/llm';
import type { LlmOperation, MetricsPort } from '../../ports/metrics';

/** The same model, counting calls by operation and outcome (ok or the LlmError code) and timing them. */
export class MeasuredLlm implements LlmPort {
  constructor(
    private readonly inner: LlmPort,
    private readonly metrics: MetricsPort,
  ) {}

  get id(): string {
    return this.inner.id;
  }

  condense(input: CondenseInput, options?: LlmCallOptions): Promise<string> {
    return this.measure('condense', () => this.inner.condense(input, options));
  }

  answer(input: GenerateAnswerInput, options?: LlmCallOptions): Promise<string> {
    return this.measure('answer', () => this.inner.answer(input, options));
  }

  exerciseFeedback(input: ExerciseFeedbackInput, options?: LlmCallOptions): Promise<string> {
    const inner = this.inner;
    if (!inner.exerciseFeedback) return Promise.reject(new LlmError('unavailable', 'this model gives no exercise feedback'));
    return this.measure('feedback', () => inner.exerciseFeedback!(input, options));
  }

  discussionSummary(input: DiscussionSummaryInput, options?: LlmCallOptions): Promise<string> {
    const inner = this.inner;
    if (!inner.discussionSummary) return Promise.reject(new LlmError('unavailable', 'this model writes no discussion summaries'));
    return this.measure('summary', () => inner.discussionSummary!(input, options));
  }

  private async measure(operation: LlmOperation, call: () => Promise<string>): Promise<string> {
    const started = performance.now();
    try {
      const text = await call();
      this.metrics.llmCall(operation, 'ok', (performance.now() - started) / 1000);
      return text;
    } catch (err) {
      this.metrics.llmCall(operation, err instanceof LlmError ? err.code : 'unavailable', (performance.now() - started) / 1000);
      throw err;
    }
  }
}
