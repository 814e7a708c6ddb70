/**
 * Limits on how fast one learner, one tenant or the whole deployment may use the bot and its
 * model. Names say who is counted and over what window.
 */
export type LimitName = 'turns.learner' | 'turns.tenant' | 'llm.learner' | 'llm.tenant' | 'llm.learnerDaily' | 'llm.tenantDaily' | 'llm.deploymentDaily';

export interface LimitVerdict {
  allowed: boolean;
  /** When refused: how long until the next point is available. */
  retryAfterMs: number;
  limit: LimitName;
}

export interface RateLimitPort {
  /** Takes one point from `name` for `key`; a limit that is switched off always allows. */
  consume(name: LimitName, key: string): Promise<LimitVerdict>;
  close(): Promise<void>;
}

/** Takes a point from each limit in turn and stops at the first refusal; undefined when all allow. */
export async function firstRefusal(limits: RateLimitPort, checks: [LimitName, string | undefined][]): Promise<LimitVerdict | undefined> {
  for (const [name, key] of checks) {
    if (!key) continue;
    const verdict = await limits.consume(name, key);
    if (!verdict.allowed) return verdict;
  }
  return undefined;
}
