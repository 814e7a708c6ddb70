import type { Language } from '../config/config-schema';

/** What the course asks for when a learner has earned a certificate. */
export interface CertificateRequest {
  /** Learner record key; one certificate per learner and course. */
  learnerKey: string;
  learnerName: string;
  lang: Language;
  courseId: string;
  courseTitle: string;
  /** When the learner passed the final assessment (ISO). */
  completedAt: string;
}

export interface IssuedCertificate {
  id: string;
  learnerName: string;
  courseTitle: string;
  issuedAt: string;
  /** The configured organisation (ORG_NAME, ORG_URL); either may be unset. */
  issuer: { name?: string; url?: string };
  links: { verify: string; pdf: string; openBadge: string };
}

/** Issues (or returns the already issued) certificate of completion. */
export interface CertificateIssuer {
  issue(request: CertificateRequest): Promise<IssuedCertificate>;
}
