import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';
import { cohortKey, conversationCohortKey, facilitatingKey, type Cohort } from './cohort-model';
import { CodedError } from '../../errors/coded-error';

const UPDATE_ATTEMPTS = 6;

export class CohortExistsError extends CodedError {
  constructor(readonly cohortId: string) {
    super('cohort_exists', `this conversation already has cohort ${cohortId}`);
  }
}

/**
 * Cohort documents and their two indexes (by conversation, by facilitator). Every change is a
 * read-modify-write with the document's etag, retried on conflict, so two instances (or a
 * roster change and a facilitator's edit) never overwrite each other.
 */
export class CohortStore {
  constructor(private readonly storage: StoragePort) {}

  async get(id: string): Promise<Cohort | undefined> {
    return (await this.storage.read<Cohort>(cohortKey(id)))?.value;
  }

  async forConversation(channelId: string, conversationId: string): Promise<Cohort | undefined> {
    const index = await this.storage.read<{ cohortId: string }>(conversationCohortKey(channelId, conversationId));
    return index ? this.get(index.value.cohortId) : undefined;
  }

  /** Cohorts this person facilitates, newest first. */
  async facilitatedBy(learnerKey: string): Promise<Cohort[]> {
    const ids = (await this.storage.read<{ cohortIds: string[] }>(facilitatingKey(learnerKey)))?.value.cohortIds ?? [];
    const cohorts = await Promise.all([...ids].reverse().map((id) => this.get(id)));
    return cohorts.filter((c): c is Cohort => c !== undefined);
  }

  /** Creates the cohort; one cohort per channel conversation (the index is written create-only first). */
  async create(cohort: Cohort): Promise<void> {
    const indexKey = conversationCohortKey(cohort.channelId, cohort.conversationId);
    try {
      await this.storage.write(indexKey, { cohortId: cohort.id }, { ifMatch: CREATE_ONLY });
    } catch (err) {
      if (err instanceof StorageConflictError) {
        const existing = await this.storage.read<{ cohortId: string }>(indexKey);
        throw new CohortExistsError(existing?.value.cohortId ?? '');
      }
      throw err;
    }
    await this.storage.write(cohortKey(cohort.id), cohort, { ifMatch: CREATE_ONLY });
  }

  /** Applies `change` to the latest version; returns the saved cohort, or undefined when it does not exist. */
  async update(id: string, change: (cohort: Cohort) => Cohort | undefined): Promise<Cohort | undefined> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.storage.read<Cohort>(cohortKey(id));
      if (!stored) return undefined;
      const next = change(structuredClone(stored.value));
      if (!next) return stored.value;
      try {
        await this.storage.write(cohortKey(id), next, { ifMatch: stored.etag });
        return next;
      } catch (err) {
        if (!(err instanceof StorageConflictError) || attempt >= UPDATE_ATTEMPTS) throw err;
      }
    }
  }

  /** Records that `learnerKey` facilitates the cohort (for commands typed in their personal chat). */
  async addFacilitating(learnerKey: string, cohortId: string): Promise<void> {
    const key = facilitatingKey(learnerKey);
    for (let attempt = 1; ; attempt++) {
      const stored = await this.storage.read<{ cohortIds: string[] }>(key);
      const ids = (stored?.value.cohortIds ?? []).filter((id) => id !== cohortId);
      try {
        await this.storage.write(key, { cohortIds: [...ids, cohortId] }, { ifMatch: stored?.etag ?? CREATE_ONLY });
        return;
      } catch (err) {
        if (!(err instanceof StorageConflictError) || attempt >= UPDATE_ATTEMPTS) throw err;
      }
    }
  }
}
