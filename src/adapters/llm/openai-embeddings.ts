import { Embeddings } from '@langchain/core/embeddings';
import { z } from 'zod';
import type { OpenAiSetup } from './openai-client';
import { toLlmError } from './openai-llm';
import { CodedError } from '../../errors/coded-error';

const embeddingResponseSchema = z.object({ data: z.array(z.object({ index: z.number().int(), embedding: z.array(z.number()) })) });

/** The provider's embeddings (OPENAI_EMBEDDING_MODEL or AZURE_OPENAI_EMBEDDING_DEPLOYMENT) behind LangChain's interface. */
export class OpenAiEmbeddings extends Embeddings {
  constructor(private readonly setup: OpenAiSetup & { embeddingModel: string }) {
    super({});
  }

  get id(): string {
    return `${this.setup.kind}-embedding:${this.setup.embeddingModel}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    if (!texts.length) return [];
    try {
      const response = await this.setup.client.embeddings.create({ model: this.setup.embeddingModel, input: texts, encoding_format: 'float' });
      const parsed = embeddingResponseSchema.parse(response);
      if (parsed.data.length !== texts.length) throw new CodedError('embedding_mismatch', `expected ${texts.length} embeddings, got ${parsed.data.length}`);
      return [...parsed.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    } catch (err) {
      throw toLlmError(err);
    }
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.embedDocuments([text]))[0];
  }
}
