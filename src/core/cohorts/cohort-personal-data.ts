import type { StoragePort } from '../../ports/storage';
import { listAll, type PersonalDataSource } from '../privacy/personal-data';
import { COHORT_PREFIX, WELCOME_PREFIX, type Cohort } from './cohort-model';
import { CohortStore } from './cohort-store';
import type { ExpertQuestion } from './expert-questions';

const QUESTION_PREFIX = 'expert-question:';
const NUDGE_PREFIX = 'cohort-nudge:';

/**
 * What cohorts keep about a person: their membership (name, e-mail, how they are reached),
 * their welcome and nudge records, and the questions they sent to an expert. Exported for
 * `my data`; erasure removes the membership and deletes the rest.
 */
export function cohortPersonalDataSource(storage: StoragePort): PersonalDataSource {
  const store = new CohortStore(storage);
  const cohortsOf = async (channelId: string, userId: string): Promise<Cohort[]> => {
    const out: Cohort[] = [];
    for (const key of await listAll(storage, COHORT_PREFIX)) {
      const cohort = (await storage.read<Cohort>(key))?.value;
      if (cohort?.channelId === channelId && (cohort.members[userId] || cohort.facilitators.includes(userId))) out.push(cohort);
    }
    return out;
  };
  const ownDocs = async (cohorts: Cohort[], userId: string) => {
    const keys: string[] = [];
    for (const cohort of cohorts) for (const prefix of [WELCOME_PREFIX, NUDGE_PREFIX]) if (await storage.read(`${prefix}${cohort.id}:${userId}`)) keys.push(`${prefix}${cohort.id}:${userId}`);
    return keys;
  };
  const questionsOf = async (learnerKey: string) => {
    const out: { key: string; question: ExpertQuestion }[] = [];
    for (const key of await listAll(storage, QUESTION_PREFIX)) {
      const question = (await storage.read<ExpertQuestion>(key))?.value;
      if (question?.learnerKey === learnerKey) out.push({ key, question });
    }
    return out;
  };
  return {
    name: 'cohorts',
    labelKey: 'cohorts:privacy.section',
    export: async (subject) => {
      const cohorts = await cohortsOf(subject.channelId, subject.userId);
      const questions = await questionsOf(subject.learnerKey);
      const memberships = cohorts.map((c) => ({
        cohort: c.name,
        role: c.facilitators.includes(subject.userId) ? 'facilitator' : 'member',
        ...(c.members[subject.userId] ? { name: c.members[subject.userId].name, email: c.members[subject.userId].email, joinedAt: c.members[subject.userId].joinedAt } : {}),
      }));
      return { count: memberships.length + questions.length, data: { memberships, expertQuestions: questions.map((q) => q.question) } };
    },
    erase: async (subject) => {
      const cohorts = await cohortsOf(subject.channelId, subject.userId);
      let changed = 0;
      for (const key of await ownDocs(cohorts, subject.userId)) if (await storage.delete(key)) changed++;
      for (const cohort of cohorts) {
        await store.update(cohort.id, (latest) => {
          const { [subject.userId]: _member, ...members } = latest.members;
          const { [subject.userId]: _address, ...facilitatorAddresses } = latest.facilitatorAddresses;
          const { [subject.userId]: _name, ...facilitatorNames } = latest.facilitatorNames;
          return { ...latest, members, facilitatorAddresses, facilitatorNames, facilitators: latest.facilitators.filter((id) => id !== subject.userId) };
        });
        changed++;
      }
      for (const { key } of await questionsOf(subject.learnerKey)) if (await storage.delete(key)) changed++;
      return changed;
    },
  };
}
