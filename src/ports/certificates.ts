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

/** An issued certificate as stored. */
export interface CertificateRecord {
  id: string;
  learnerName: string;
  lang: Language;
  courseId: string;
  courseTitle: string;
  completedAt: string;
  issuedAt: string;
  issuer: { name?: string; url?: string };
  /** The estimated learner time of the course, computed from its content (older certificates have none). */
  estimatedMinutes?: number;
  /** The modules completed ("1. Title"), in the certificate's language. */
  modules?: string[];
}

/**
 * What stays of a revoked certificate: verification still answers, and says it was revoked
 * (at the holder's request or by the issuer), but no longer names anybody.
 */
export interface RevokedCertificateRecord {
  id: string;
  courseId: string;
  courseTitle: string;
  /** The certificate's language, so the verification page speaks it (older notices lack it). */
  lang?: Language;
  issuedAt: string;
  issuer: { name?: string; url?: string };
  /** Erased at the holder's request, or withdrawn by an administrator (`certificate revoke <id>`). */
  revoked: { at: string; reason: 'holder_request' | 'issuer' };
}

/** Verification: a certificate by id (valid or revoked) and its public links. */
export interface CertificateLookup {
  /** A valid certificate, or undefined for an unknown, malformed or revoked id. */
  find(id: string): Promise<CertificateRecord | undefined>;
  /** The revocation notice of a revoked certificate. */
  revocation(id: string): Promise<RevokedCertificateRecord | undefined>;
  links(id: string): IssuedCertificate['links'];
}

/** The files a certificate is published as: the PDF and the Open Badges 3.0 credential, plain or signed. */
export interface CertificateDocuments {
  pdf(record: CertificateRecord): Promise<Buffer>;
  openBadge(record: CertificateRecord, format: 'json' | 'jwt'): Promise<string>;
  /** The JWK set that verifies signed credentials (rejects while the signing key is unusable). */
  jwks(): Promise<string>;
}

/** Issues (or returns the already issued) certificate of completion; an administrator may revoke one. */
export interface CertificateIssuer {
  issue(request: CertificateRequest): Promise<IssuedCertificate>;
  revoke(id: string, at: Date): Promise<RevocationOutcome>;
}
