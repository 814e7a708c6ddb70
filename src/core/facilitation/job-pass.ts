import type { Logger } from '../../logging/logger';
import type { JobPort, JobRecord } from '../../ports/jobs';
import { PeriodicWorker } from '../periodic-pass';

const BATCH = 20;

/**
 * A periodic pass over the due jobs of some kinds: claimed through the job port in batches (one
 * instance holds each), each handled by `run`, which tallies into the pass's report. A job whose
 * run throws is logged and left to its lease, so it comes back later.
 */
export class JobPass<J extends Record<string, unknown>, R> extends PeriodicWorker<R> {
  constructor(
    private readonly options: {
      jobs: JobPort;
      kinds: string[];
      leaseMs: number;
      logger: Logger;
      /** What the log calls one run, e.g. "scheduled discussion". */
      what: string;
      empty: () => R;
      run: (job: JobRecord<J>, now: Date, report: R) => Promise<void>;
    },
  ) {
    super((err) => {
      options.logger.error({ err }, `${options.what} pass failed`);
      return options.empty();
    });
  }

  protected async pass(now: Date): Promise<R> {
    const { jobs, kinds, leaseMs, logger, what, run } = this.options;
    const report = this.options.empty();
    for (;;) {
      const claimed = await jobs.claimDue(kinds, now, leaseMs, BATCH);
      for (const job of claimed) {
        try {
          await run(job as JobRecord<J>, now, report);
        } catch (err) {
          logger.error({ err, job: job.id }, `${what} failed`);
        }
      }
      if (claimed.length < BATCH) return report;
    }
  }
}
