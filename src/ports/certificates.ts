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
  /** The course's estimated learner time, computed from its content (core/course/estimate.ts). */
  estimatedMinutes?: number;
  /** The modules completed, as shown: "1. Title". */
  modules?: string[];
}

export interface IssuedCertificate {
  id: string;
  learnerName: string;
  courseTitle: string;
  issuedAt: string;
  /** The configured organisation (ORG_NAME, ORG_URL); either may be unset. */
  issuer: { name?: string; url?: string };
  /** The verification page, the PDF, the Open Badges 3.0 credential and the same credential signed (VC-JWT). */
  links: { verify: string; pdf: string; openBadge: string; signedOpenBadge: string };
}

export type RevocationOutcome = 'revoked' | 'already' | 'unknown';

/** Issues (or returns the already issued) certificate of completion; an administrator may revoke one. */
export interface CertificateIssuer {
  issue(request: CertificateRequest): Promise<IssuedCertificate>;
  revoke(id: string, at: Date): Promise<RevocationOutcome>;
}
