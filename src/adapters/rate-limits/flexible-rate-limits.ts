import { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../../logging/logger';
import type { LimitName, LimitVerdict, RateLimitPort } from '../../ports/rate-limits';

/** Points per window for each limit; 0 switches it off. */
export type LimitSettings = Record<LimitName, { points: number; durationSeconds: number }>;

const TABLE = 'govai_rate_limits';

/**
 * rate-limiter-flexible behind the port: counters in memory for one instance (SQLite), or in a
 * PostgreSQL table shared by every instance, with an in-memory insurance limiter so a database
 * outage degrades to per-instance limits instead of refusing or waving everything through.
 */
export class FlexibleRateLimits implements RateLimitPort {
  private readonly limiters = new Map<LimitName, RateLimiterAbstract>();
  private readonly pool: Pool | undefined;
  private ready?: Promise<void>;

  constructor(
    private readonly settings: LimitSettings,
    private readonly options: { logger: Logger; databaseUrl?: string },
  ) {
    this.pool = options.databaseUrl
      ? new Pool({ connectionString: options.databaseUrl, max: 3, connectionTimeoutMillis: 1500, statement_timeout: 1000, query_timeout: 1000, application_name: 'govai-coach-limits' })
      : undefined;
    this.pool?.on('error', (err) => options.logger.warn({ err: err.message }, 'rate-limit pool connection dropped'));
  }

  /** The counters, made on first use (the shared table needs the database, which may start after the app). */
  private async open(): Promise<void> {
    const { pool } = this;
    for (const [name, { points, durationSeconds }] of Object.entries(this.settings) as [LimitName, LimitSettings[LimitName]][]) {
      if (points <= 0) continue;
      const base = { points, duration: durationSeconds, keyPrefix: `govai:${name}` };
      if (!pool) {
        this.limiters.set(name, new RateLimiterMemory(base));
        continue;
      }
      const insuranceLimiter = new RateLimiterMemory(base);
      // Two instances starting at once both try to create the table; the library tolerates that race (23505).
      const limiter = await new Promise<RateLimiterAbstract>((resolve, reject) => {
        const created: RateLimiterPostgres = new RateLimiterPostgres({ ...base, storeClient: pool, tableName: TABLE, clearExpiredByTimeout: true, insuranceLimiter }, (err?: unknown) =>
          err ? reject(err) : resolve(created),
        );
      }).catch((err: unknown) => {
        this.options.logger.warn({ err: (err as Error).message, limit: name }, 'rate-limit table unavailable; counting in memory on this instance');
        return insuranceLimiter;
      });
      this.limiters.set(name, limiter);
    }
  }

  async consume(name: LimitName, key: string): Promise<LimitVerdict> {
    if (this.settings[name].points <= 0) return { allowed: true, retryAfterMs: 0, limit: name };
    await (this.ready ??= this.open());
    const limiter = this.limiters.get(name);
    if (!limiter) return { allowed: true, retryAfterMs: 0, limit: name };
    try {
      await limiter.consume(key);
      return { allowed: true, retryAfterMs: 0, limit: name };
    } catch (res) {
      if (res instanceof RateLimiterRes) return { allowed: false, retryAfterMs: res.msBeforeNext, limit: name };
      // The store and its insurance both failed: a broken counter must not lock learners out.
      this.options.logger.warn({ err: (res as Error).message, limit: name }, 'rate limit check failed; allowing the request');
      return { allowed: true, retryAfterMs: 0, limit: name };
    }
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}

/** The limits as configured (see README, "Configuration"). */
export function limitSettingsOf(config: {
  RATE_LIMIT_TURNS_PER_MINUTE: number;
  RATE_LIMIT_TENANT_TURNS_PER_MINUTE: number;
  LLM_CALLS_PER_MINUTE: number;
  LLM_TENANT_CALLS_PER_MINUTE: number;
  LLM_DAILY_CALLS_PER_LEARNER: number;
  LLM_DAILY_CALLS_PER_TENANT: number;
  LLM_DAILY_CALLS_TOTAL: number;
}): LimitSettings {
  const DAY = 24 * 60 * 60;
  return {
    'turns.learner': { points: config.RATE_LIMIT_TURNS_PER_MINUTE, durationSeconds: 60 },
    'turns.tenant': { points: config.RATE_LIMIT_TENANT_TURNS_PER_MINUTE, durationSeconds: 60 },
    'llm.learner': { points: config.LLM_CALLS_PER_MINUTE, durationSeconds: 60 },
    'llm.tenant': { points: config.LLM_TENANT_CALLS_PER_MINUTE, durationSeconds: 60 },
    'llm.learnerDaily': { points: config.LLM_DAILY_CALLS_PER_LEARNER, durationSeconds: DAY },
    'llm.tenantDaily': { points: config.LLM_DAILY_CALLS_PER_TENANT, durationSeconds: DAY },
    'llm.deploymentDaily': { points: config.LLM_DAILY_CALLS_TOTAL, durationSeconds: DAY },
  };
}
