import type { AppConfig } from '../config/config';
import type { StoragePort } from '../ports/storage';
import type { CertificateIssuer } from '../ports/certificates';
import { CommandRegistry } from '../core/command-registry';
import { registerHelp } from '../core/basics/help';
import { registerLanguage } from '../core/basics/language';
import { registerWelcome } from '../core/basics/welcome';
import type { CourseCatalog } from '../core/course/content-model';
import { currentPosition } from '../core/course/current-position';
import { registerCourse } from '../core/course/journey';
import { registerCertificateRevocation } from '../core/course/certificate-revocation';
import { registerFacilitation } from '../core/facilitation/register-facilitation';
import { FacilitatorRoles } from '../core/cohorts/facilitator-roles';
import type { QaService } from '../core/qa/answer-service';
import { registerQa } from '../core/qa/qa-routes';
import { QuestionLog } from '../core/qa/question-log';
import { registerReminders } from '../core/reminders/register-reminders';
import type { Localizer } from '../i18n/i18n';
import { registerMyData } from '../core/privacy/my-data-routes';
import type { PrivacyService } from '../core/privacy/privacy-service';
import type { ReflectionSharing } from '../core/cohorts/reflection-sharing';
import type { DiscussionThreads } from '../core/facilitation/threads/discussion-threads';
import type { JobPort } from '../ports/jobs';

export interface FeatureDeps {
  config: AppConfig;
  localizer: Localizer;
  storage: StoragePort;
  catalog: CourseCatalog;
  certificates: CertificateIssuer;
  /** The Q&A service once its index is loaded (see App.open()). */
  qaService: () => QaService | undefined;
  /** Learners' data rights (`my data`) and the privacy notice linked from help and the welcome. */
  privacy?: PrivacyService;
  /** Sharing a module reflection with the learner's cohort channel. */
  reflectionSharing?: ReflectionSharing;
  /** The discussion threads the bot follows (replies to its prompts). */
  threads?: DiscussionThreads;
  /** The job queue: polls with a closing time are closed on time through it. */
  jobs?: JobPort;
}

/** Every channel-neutral feature registers its commands, buttons and events here; help lists them in this order. */
export function registerFeatures(deps: FeatureDeps): CommandRegistry {
  const { config, storage, catalog } = deps;
  const registry = new CommandRegistry(deps.localizer);
  const noticeUrl = deps.privacy ? () => deps.privacy!.noticeUrl() : undefined;
  registerHelp(registry, noticeUrl);
  registerLanguage(registry);
  registerWelcome(registry, config.ORG_NAME, noticeUrl);
  registerCourse(registry, {
    catalog,
    certificates: deps.certificates,
    finalCooldownHours: config.FINAL_COOLDOWN_HOURS,
    // Exercise feedback uses the Q&A model when one is configured, within the same time and call budgets.
    llm: async (turn) => (await deps.qaService()?.modelFor({ learner: turn.learner.key, tenant: turn.input.tenantId && `${turn.input.channelId}:${turn.input.tenantId}` }))?.llm,
    reflectionSharing: deps.reflectionSharing,
  });
  registerReminders(registry, storage);
  registerFacilitation(registry, { catalog, storage, polls: { roles: new FacilitatorRoles(config.FACILITATORS), minVotes: config.POLL_MIN_VOTES, jobs: deps.jobs }, threads: deps.threads });
  if (deps.privacy) {
    registerMyData(registry, deps.privacy);
    const privacy = deps.privacy;
    registerCertificateRevocation(registry, { certificates: deps.certificates, isAdmin: (key) => privacy.isAdmin(key), audit: privacy.audit });
  }
  // Free text is a question for Q&A.
  registerQa(registry, {
    service: deps.qaService,
    currentStepId: (turn) => currentPosition(turn.learner, catalog, turn.lang).step?.id,
    openLessonCommand: 'lesson.open',
    questionLog: new QuestionLog(storage),
    isFacilitator: (turn) => config.FACILITATORS.includes(turn.input.userId.toLowerCase()),
  });
  return registry;
}
