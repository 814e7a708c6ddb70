import OpenAI from 'openai';
import { z } from 'zod';
import { LlmError, type CondenseInput, type DiscussionSummaryInput, type ExerciseFeedbackInput, type GenerateAnswerInput, type LlmCallOptions, type LlmPort } from '../../ports/llm';
import type { MetricsPort } from '../../ports/metrics';
import type { OpenAiSetup } from './openai-client';
import type { ChatMessage, PromptLibrary } from './prompt-library';
import { repeatsText } from '../../core/qa/untrusted-text';

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).nullable().optional(),
});
const chunkSchema = z.object({ choices: z.array(z.object({ delta: z.object({ content: z.string().nullable().optional() }).optional() })) });

export interface OpenAiLlmOptions {
  /** Stream the answer (server-sent events) and collect it; some gateways only stream. */
  stream?: boolean;
  maxTokens?: number;
  /** Receives the token counts the endpoint reports (non-streamed completions carry them). */
  metrics?: MetricsPort;
}

/**
 * Grounded answers with an OpenAI-compatible chat-completions endpoint. No tools are sent;
 * temperature is low because the answer must stay close to the passages.
 */
export class OpenAiLlm implements LlmPort {
  constructor(
    private readonly setup: OpenAiSetup,
    private readonly prompts: PromptLibrary,
    private readonly options: OpenAiLlmOptions = {},
  ) {}

  get id(): string {
    return `${this.setup.kind}:${this.setup.chatModel}`;
  }

  async answer(input: GenerateAnswerInput, call: LlmCallOptions = {}): Promise<string> {
    return this.complete(await this.prompts.answerMessages(input), this.options.maxTokens ?? 400, call.signal, call.onText);
  }

  async exerciseFeedback(input: ExerciseFeedbackInput, call: LlmCallOptions = {}): Promise<string> {
    return this.complete(await this.prompts.exerciseFeedbackMessages(input), 350, call.signal);
  }

  async discussionSummary(input: DiscussionSummaryInput, call: LlmCallOptions = {}): Promise<string> {
    return this.complete(await this.prompts.discussionSummaryMessages(input), 900, call.signal);
  }

  async condense(input: CondenseInput, call: LlmCallOptions = {}): Promise<string> {
    return (await this.complete(await this.prompts.condenseMessages(input), 120, call.signal)).split('\n')[0];
  }

  /** The model's text; one that repeats its own instructions is refused (the caller falls back). */
  private async complete(messages: ChatMessage[], maxTokens: number, signal?: AbortSignal, onText?: (piece: string) => void): Promise<string> {
    const text = await this.completeRaw(messages, maxTokens, signal, onText);
    const system = messages.find((m) => m.role === 'system')?.content;
    if (typeof system === 'string' && repeatsText(text, system)) throw new LlmError('bad-response', 'the model repeated its instructions');
    return text;
  }

  private async completeRaw(messages: ChatMessage[], maxTokens: number, signal?: AbortSignal, onText?: (piece: string) => void): Promise<string> {
    const { client, chatModel } = this.setup;
    try {
      // A caller showing the answer as it is written (Teams streaming) gets it streamed whatever the setting.
      if (this.options.stream || onText) {
        const stream = await client.chat.completions.create({ model: chatModel, messages, temperature: 0.1, max_tokens: maxTokens, stream: true }, { signal });
        let text = '';
        for await (const chunk of stream) {
          const parsed = chunkSchema.safeParse(chunk);
          if (!parsed.success) throw new LlmError('bad-response', `unexpected stream chunk: ${parsed.error.issues[0]?.message}`);
          const piece = parsed.data.choices[0]?.delta?.content ?? '';
          text += piece;
          if (piece) onText?.(piece);
        }
        return nonEmpty(text);
      }
      const response = await client.chat.completions.create({ model: chatModel, messages, temperature: 0.1, max_tokens: maxTokens }, { signal });
      const parsed = completionSchema.safeParse(response);
      if (!parsed.success) throw new LlmError('bad-response', `unexpected completion: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
      if (parsed.data.usage) this.options.metrics?.llmTokens(parsed.data.usage.prompt_tokens, parsed.data.usage.completion_tokens);
      return nonEmpty(parsed.data.choices[0].message.content ?? '');
    } catch (err) {
      throw toLlmError(err);
    }
  }
}

function nonEmpty(text: string): string {
  if (!text.trim()) throw new LlmError('bad-response', 'the model returned an empty answer');
  return text.trim();
}

export function toLlmError(err: unknown): LlmError {
  if (err instanceof LlmError) return err;
  if (err instanceof OpenAI.APIUserAbortError) return new LlmError('timeout', 'the answer deadline passed before the model finished', { cause: err });
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new LlmError('timeout', 'the model did not answer in time', { cause: err });
  if (err instanceof OpenAI.APIError) {
    if (err.status === 429) return new LlmError('rate-limited', 'the model endpoint is rate limiting (429) after retries', { cause: err });
    if (err.status && err.status >= 500) return new LlmError('server-error', `the model endpoint failed (${err.status}) after retries`, { cause: err });
    if (err.status) return new LlmError('bad-response', `the model endpoint refused the request (${err.status})`, { cause: err });
  }
  return new LlmError('unavailable', `the model endpoint is unreachable: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
