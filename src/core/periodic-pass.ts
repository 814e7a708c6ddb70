/**
 * A background pass run every `intervalMs` on an unref'd timer (it never keeps the process
 * alive): reminders, cohort welcomes, the xAPI outbox, scheduled discussion prompts. Calls
 * during a pass share it, or (with `queueWhileRunning`) get one more pass after it, so work
 * that arrived meanwhile is not missed. A failing pass is logged through `onError` and the
 * loop goes on.
 */
export class PeriodicPass<T> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<T>;
  private queued?: Promise<T>;

  constructor(
    private readonly pass: (now: Date) => Promise<T>,
    private readonly options: {
      /** Logs a failed pass and says what the pass resolves with then. */
      onError: (err: unknown) => T;
      /** A call during a pass runs one more pass after it (instead of sharing the current one). */
      queueWhileRunning?: boolean;
      /** Runs around every pass (e.g. a correlation id for its log lines). */
      around?: (run: () => Promise<T>) => Promise<T>;
    },
  ) {}

  start(intervalMs: number): void {
    if (this.timer || intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.queued?.catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  get started(): boolean {
    return this.timer !== undefined;
  }

  /** One pass at `now` (default: the time the pass starts). */
  tick(now?: Date): Promise<T> {
    if (this.running) {
      if (!this.options.queueWhileRunning) return this.running;
      this.queued ??= this.running.then(() => {
        this.queued = undefined;
        return this.tick(now);
      });
      return this.queued;
    }
    const run = () => this.pass(now ?? new Date()).catch((err: unknown) => this.options.onError(err));
    this.running = (this.options.around ? this.options.around(run) : run()).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}

/**
 * A background worker whose work is one pass (reminders, cohort welcomes, the xAPI outbox, due
 * jobs): start, stop and tick delegate to its PeriodicPass; `onError` logs a failed pass and
 * says what the pass resolves with then.
 */
export abstract class PeriodicWorker<T = void> {
  private readonly loop: PeriodicPass<T>;

  protected constructor(onError: (err: unknown) => T, options: { queueWhileRunning?: boolean; around?: (run: () => Promise<T>) => Promise<T> } = {}) {
    this.loop = new PeriodicPass((now) => this.pass(now), { onError, ...options });
  }

  protected abstract pass(now: Date): Promise<T>;

  start(intervalMs: number): void {
    this.loop.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass; overlapping calls share it (or, with `queueWhileRunning`, get one more pass after it). */
  tick(now?: Date): Promise<T> {
    return this.loop.tick(now);
  }
}
