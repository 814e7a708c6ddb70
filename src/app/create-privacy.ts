import type { AppConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import type { StoragePort } from '../ports/storage';
import { withoutTrailingSlashes } from '../core/text-normalize';
import type { CourseCatalog } from '../core/course/content-model';
import { AuditLog } from '../core/privacy/audit-log';
import { DownloadLinks } from '../core/privacy/download-links';
import { learnerRecordSource, pollVoteSource, reminderSource } from '../core/privacy/feature-sources';
import { PersonalDataRegistry } from '../core/privacy/personal-data';
import { PrivacyService } from '../core/privacy/privacy-service';
import { RetentionJob } from '../core/privacy/retention-job';
import { purgeTimeOrderedKeys } from '../core/privacy/time-ordered-keys';
import { QUESTION_LOG_PREFIX } from '../core/qa/question-log';
import { certificateSource } from '../adapters/certificates/certificate-personal-data';
import type { CertificateStore } from '../adapters/certificates/certificate-store';
import { PRIVACY_EXPORT_PATH, PRIVACY_NOTICE_PATH } from '../channels/http/privacy-routes';
import { slackChannelCardRetention, slackMessageSource } from '../channels/slack/slack-delivery';

export interface Privacy {
  registry: PersonalDataRegistry;
  audit: AuditLog;
  service: PrivacyService;
  retention: RetentionJob;
}

/**
 * The personal-data registry with every existing feature's source, the audit log, download
 * links and the retention job. Channels register their own sources once they exist
 * (conversation references); features built later register theirs the same way.
 */
export function createPrivacy(deps: { config: AppConfig; storage: StoragePort; logger: Logger; certificates: CertificateStore; catalog: CourseCatalog; baseUrl: () => string }): Privacy {
  const { config, storage, catalog } = deps;
  const audit = new AuditLog(storage);
  const links = new DownloadLinks(storage);
  const courseIds = () => catalog.languages.map((lang) => catalog.get(lang).id);
  const registry = new PersonalDataRegistry()
    .register(learnerRecordSource(storage))
    .register(reminderSource(storage))
    .register(certificateSource(deps.certificates, courseIds))
    .register(pollVoteSource(storage))
    .register(slackMessageSource(storage))
    .register(links.personalDataSource())
    .register(audit.personalDataSource());
  const base = () => withoutTrailingSlashes(deps.baseUrl());
  const service = new PrivacyService({
    registry,
    audit,
    links,
    admins: config.ADMINS,
    downloadUrl: (token) => `${base()}${PRIVACY_EXPORT_PATH}/${token}`,
    noticeUrl: () => config.PRIVACY_NOTICE_URL ?? `${base()}${PRIVACY_NOTICE_PATH}`,
  });
  const retention = new RetentionJob({
    storage,
    registry,
    audit,
    links,
    periods: {
      questionHistoryDays: config.RETENTION_QUESTION_HISTORY_DAYS,
      discussionRepliesDays: config.RETENTION_DISCUSSION_REPLIES_DAYS,
      inactiveLearnerDays: config.RETENTION_INACTIVE_LEARNER_DAYS,
      auditLogDays: config.RETENTION_AUDIT_LOG_DAYS,
    },
    intervalMs: config.RETENTION_PURGE_INTERVAL_HOURS * 3_600_000,
    logger: deps.logger,
  });
  // Where Slack channel cards are (a poll's, for closing it on time): kept as long as discussions.
  retention.register(slackChannelCardRetention(storage));
  // The anonymous log of declined and rated questions (Q&A gaps report) holds question text: kept like question history.
  retention.register({ name: 'questionLog', period: 'questionHistoryDays', purge: (cutoff) => purgeTimeOrderedKeys(storage, QUESTION_LOG_PREFIX, cutoff) });
  return { registry, audit, service, retention };
}
