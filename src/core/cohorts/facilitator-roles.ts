import type { Cohort } from './cohort-model';

/**
 * Who may run cohorts: anyone listed in FACILITATORS (Teams Entra object ids or UPNs/e-mails,
 * Slack user ids), plus the facilitators a cohort's own facilitators added. Checked on the
 * server for every facilitator command; the channel never decides.
 */
export class FacilitatorRoles {
  private readonly configured: Set<string>;

  constructor(configured: string[]) {
    this.configured = new Set(configured.map((c) => c.trim().toLowerCase()).filter(Boolean));
  }

  /** Listed in the configuration, by id or by e-mail/UPN. */
  isConfigured(userId: string, email?: string): boolean {
    return this.configured.has(userId.toLowerCase()) || (email !== undefined && this.configured.has(email.toLowerCase()));
  }

  /** True when the list names people by e-mail, so a channel lookup of the e-mail can decide. */
  get listsEmails(): boolean {
    return [...this.configured].some((c) => c.includes('@'));
  }

  /** May run this cohort: configured, or one of the cohort's facilitators. */
  mayRun(cohort: Cohort, userId: string, email?: string): boolean {
    if (cohort.facilitators.includes(userId)) return true;
    return this.isConfigured(userId, email ?? cohort.members[userId]?.email);
  }
}
