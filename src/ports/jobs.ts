import { CodedError } from '../errors/coded-error';

/**
 * Durable jobs that run at a given time (scheduled discussion prompts). A due job is handed to
 * exactly one instance at a time: `claimDue` takes a lease on it (PostgreSQL: row claims with
 * FOR UPDATE SKIP LOCKED; SQLite: an immediate transaction), and only the holder of that lease
 * can settle it. A lease that runs out (the instance stopped mid-run) makes the job due again.
 * Every adapter passes the same tests (test/facilitation/jobs-contract.ts).
 */
export type JobState = 'scheduled' | 'running' | 'done' | 'failed' | 'cancelled';

export interface NewJob<P = Record<string, unknown>> {
  kind: string;
  /** What the job belongs to (e.g. one channel conversation), for listing and cancelling. */
  group: string;
  payload: P;
  runAt: Date;
}

export interface JobRecord<P = Record<string, unknown>> {
  id: string;
  kind: string;
  group: string;
  payload: P;
  runAt: string;
  state: JobState;
  /** Runs started so far (claims). */
  attempts: number;
  /** While running: the lease token of the instance that holds it, and when it runs out. */
  leaseToken?: string;
  leaseUntil?: string;
  /** What a finished job produced (e.g. the posted message's id). */
  result?: Record<string, unknown>;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
}

export interface JobPort {
  /** Opens connections and creates the table; idempotent. */
  open(): Promise<void>;
  close(): Promise<void>;
  schedule<P extends Record<string, unknown>>(job: NewJob<P>, now: Date): Promise<JobRecord<P>>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Jobs of a group still to run (scheduled or running), soonest first. */
  pending(group: string): Promise<JobRecord[]>;
  /** Cancels a job that has not started; false when it is unknown, of another group, or already running or settled. */
  cancel(id: string, group: string, now: Date): Promise<boolean>;
  /** Claims up to `limit` due jobs of `kinds` (scheduled and due, or running with a lease run out). */
  claimDue(kinds: string[], now: Date, leaseMs: number, limit: number): Promise<JobRecord[]>;
  /** The settlements below hold only for the lease holder; false when the lease was lost. */
  complete(job: JobRecord, result: Record<string, unknown>, now: Date): Promise<boolean>;
  retryAt(job: JobRecord, runAt: Date, error: string, now: Date): Promise<boolean>;
  fail(job: JobRecord, error: string, now: Date): Promise<boolean>;
  /** Jobs of `kind` whose payload has `field` (letters only) equal to `value`, in any state (a person's data, for export and erasure). */
  withPayload(kind: string, field: string, value: string): Promise<JobRecord[]>;
  /** Replaces a job's payload whatever its state (erasure anonymises it). */
  replacePayload(id: string, payload: Record<string, unknown>, now: Date): Promise<boolean>;
}

/** Payload field names used in queries: letters only. */
export function checkedField(field: string): string {
  if (!/^[A-Za-z]{1,64}$/.test(field)) throw new CodedError('invalid_identifier', `invalid payload field "${field}"`);
  return field;
}
