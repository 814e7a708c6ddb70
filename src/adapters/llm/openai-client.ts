import OpenAI, { AzureOpenAI } from 'openai';
import type { AppConfig } from '../../config/config';

export interface OpenAiSetup {
  client: OpenAI;
  kind: 'openai' | 'azure';
  /** Chat model (OpenAI) or deployment name (Azure). */
  chatModel: string;
  /** Embedding model or deployment, when configured. */
  embeddingModel?: string;
}

type LlmSettings = Pick<
  AppConfig,
  | 'OPENAI_API_KEY'
  | 'OPENAI_BASE_URL'
  | 'OPENAI_MODEL'
  | 'OPENAI_EMBEDDING_MODEL'
  | 'AZURE_OPENAI_ENDPOINT'
  | 'AZURE_OPENAI_API_KEY'
  | 'AZURE_OPENAI_DEPLOYMENT'
  | 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT'
  | 'AZURE_OPENAI_API_VERSION'
  | 'LLM_TIMEOUT_MS'
  | 'LLM_MAX_RETRIES'
>;

/**
 * The `openai` client for OpenAI, any OpenAI-compatible server (OPENAI_BASE_URL) or Azure
 * OpenAI, or undefined when none is configured (offline mode). The client does the retries:
 * exponential backoff with jitter, honouring Retry-After on 429 and 503, on 408/409/429/5xx and
 * connection errors, up to LLM_MAX_RETRIES; each attempt times out after LLM_TIMEOUT_MS.
 */
export function createOpenAiSetup(config: LlmSettings): OpenAiSetup | undefined {
  const common = { timeout: config.LLM_TIMEOUT_MS, maxRetries: config.LLM_MAX_RETRIES };
  if (config.AZURE_OPENAI_ENDPOINT && config.AZURE_OPENAI_API_KEY && config.AZURE_OPENAI_DEPLOYMENT) {
    // No fixed deployment on the client: `model` names the deployment per call (chat and embeddings differ).
    const client = new AzureOpenAI({ endpoint: config.AZURE_OPENAI_ENDPOINT, apiKey: config.AZURE_OPENAI_API_KEY, apiVersion: config.AZURE_OPENAI_API_VERSION, ...common });
    return { client, kind: 'azure', chatModel: config.AZURE_OPENAI_DEPLOYMENT, embeddingModel: config.AZURE_OPENAI_EMBEDDING_DEPLOYMENT };
  }
  if (config.OPENAI_API_KEY || config.OPENAI_BASE_URL) {
    // Local OpenAI-compatible servers often need no key; the client insists on one.
    const client = new OpenAI({ apiKey: config.OPENAI_API_KEY ?? 'not-needed', baseURL: config.OPENAI_BASE_URL, ...common });
    return { client, kind: 'openai', chatModel: config.OPENAI_MODEL, embeddingModel: config.OPENAI_EMBEDDING_MODEL };
  }
  return undefined;
}
