import type { AuditEntry, AuditLog } from './audit-log';
import { DOWNLOAD_LINK_TTL_MS, type DownloadLink, type DownloadLinks } from './download-links';
import type { DataSubject, ExportSummaryLine, PersonalDataExport, PersonalDataRegistry } from './personal-data';

export interface DownloadFile {
  fileName: string;
  body: unknown;
}

export interface PrivacyServiceOptions {
  registry: PersonalDataRegistry;
  audit: AuditLog;
  links: DownloadLinks;
  /** Administrators as `<channel>:<user id>` (config ADMINS): they may export the audit log. */
  admins: readonly string[];
  /** Absolute URL of a download link's token on the bot's own host. */
  downloadUrl(token: string): string;
  /** Absolute URL of the privacy notice. */
  noticeUrl(): string;
}

/** Parses `learner:<channel>:<user>`; user ids may contain colons (Teams "29:…"). */
export function subjectOfKey(learnerKey: string): DataSubject | undefined {
  const match = /^learner:([^:]+):(.+)$/.exec(learnerKey);
  return match ? { learnerKey, channelId: match[1], userId: match[2] } : undefined;
}

/**
 * Learners' rights (export, erasure) and the administrator's audit export, channel-neutral:
 * files are built when their download link is opened and are never stored.
 */
export class PrivacyService {
  constructor(private readonly options: PrivacyServiceOptions) {}

  get audit(): AuditLog {
    return this.options.audit;
  }

  get registry(): PersonalDataRegistry {
    return this.options.registry;
  }

  isAdmin(learnerKey: string): boolean {
    const subject = subjectOfKey(learnerKey);
    return Boolean(subject) && this.options.admins.includes(`${subject!.channelId}:${subject!.userId}`);
  }

  noticeUrl(): string {
    return this.options.noticeUrl();
  }

  linkMinutes(): number {
    return Math.round(DOWNLOAD_LINK_TTL_MS / 60_000);
  }

  /** A link to the subject's export file, and the summary the card shows. */
  async exportLink(subject: DataSubject, now: Date): Promise<{ url: string; summary: ExportSummaryLine[] }> {
    const { summary } = await this.options.registry.exportAll(subject, now);
    const token = await this.options.links.create({ kind: 'learner-export', owner: subject.learnerKey }, now);
    return { url: this.options.downloadUrl(token), summary };
  }

  /** How many records the bot holds about the subject (0: nothing to erase). */
  async recordCount(subject: DataSubject, now: Date): Promise<number> {
    const { summary } = await this.options.registry.exportAll(subject, now);
    return summary.reduce((n, line) => n + line.count, 0);
  }

  /** Erases the subject everywhere, then records that it happened without naming them. */
  async erase(subject: DataSubject, actor: string, now: Date): Promise<Record<string, number>> {
    const changed = await this.options.registry.eraseAll(subject);
    const erasedSelf = actor === subject.learnerKey;
    await this.options.audit.record({ actor: erasedSelf ? 'data-subject' : actor, action: 'learner.erase', detail: { documents: Object.values(changed).reduce((a, b) => a + b, 0) }, at: now });
    return changed;
  }

  /** An administrator's link to the audit log of the last `days` days; the export itself is audited. */
  async auditExportLink(admin: string, days: number, now: Date): Promise<{ url: string; count: number }> {
    const from = new Date(now.getTime() - days * 86_400_000);
    const count = (await this.options.audit.list({ from, to: now })).length;
    await this.options.audit.record({ actor: admin, action: 'audit.export', detail: { days }, at: now });
    const token = await this.options.links.create({ kind: 'audit-export', owner: admin, range: { from: from.toISOString(), to: now.toISOString() } }, now);
    return { url: this.options.downloadUrl(token), count };
  }

  /** The file behind a download token, or undefined when the link is unknown or expired. */
  async fileFor(token: string, now: Date): Promise<DownloadFile | undefined> {
    const link = await this.options.links.resolve(token, now);
    if (!link) return undefined;
    return link.kind === 'learner-export' ? this.learnerFile(link, now) : this.auditFile(link, now);
  }

  private async learnerFile(link: DownloadLink, now: Date): Promise<DownloadFile | undefined> {
    const subject = subjectOfKey(link.owner);
    if (!subject) return undefined;
    const { file } = await this.options.registry.exportAll(subject, now);
    return { fileName: `my-data-${now.toISOString().slice(0, 10)}.json`, body: file satisfies PersonalDataExport };
  }

  private async auditFile(link: DownloadLink, now: Date): Promise<DownloadFile | undefined> {
    // The administrator may have lost the role since the link was made.
    if (!this.isAdmin(link.owner) || !link.range) return undefined;
    const entries: AuditEntry[] = await this.options.audit.list({ from: new Date(link.range.from), to: new Date(link.range.to) });
    return { fileName: `access-log-${now.toISOString().slice(0, 10)}.json`, body: { format: 'govai-coach.audit-log/1', exportedAt: now.toISOString(), range: link.range, entries } };
  }
}
