import { createHash, randomUUID } from 'node:crypto';
import type { Language } from '../../config/config-schema';
import type { CertificateIssuer, CertificateRequest, IssuedCertificate } from '../../ports/certificates';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';

/** An issued certificate as stored under `certificate:<id>`. */
export interface CertificateRecord {
  id: string;
  learnerName: string;
  lang: Language;
  courseId: string;
  courseTitle: string;
  completedAt: string;
  issuedAt: string;
  issuer: { name: string; url: string };
}

export interface CertificateStoreOptions {
  issuer: { name: string; url: string };
  /** Public base URL of this server (PUBLIC_BASE_URL, or the URL it listens on). */
  baseUrl: () => string;
  now?: () => Date;
}

const CERTIFICATE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function certificateKey(id: string): string {
  return `certificate:${id}`;
}

/**
 * Issues certificates through the storage port. One certificate per learner and course:
 * asking again (or a retried turn) returns the one already issued.
 */
export class CertificateStore implements CertificateIssuer {
  constructor(
    private readonly storage: StoragePort,
    private readonly options: CertificateStoreOptions,
  ) {}

  async issue(request: CertificateRequest): Promise<IssuedCertificate> {
    const indexKey = `certificate:learner:${createHash('sha256').update(`${request.learnerKey}|${request.courseId}`).digest('hex')}`;
    const existing = await this.storage.read<{ id: string }>(indexKey);
    if (existing) {
      const record = await this.find(existing.value.id);
      if (record) return this.describe(record);
    }
    const record: CertificateRecord = {
      id: randomUUID(),
      learnerName: request.learnerName,
      lang: request.lang,
      courseId: request.courseId,
      courseTitle: request.courseTitle,
      completedAt: request.completedAt,
      issuedAt: (this.options.now?.() ?? new Date()).toISOString(),
      issuer: this.options.issuer,
    };
    await this.storage.write(certificateKey(record.id), record, { ifMatch: CREATE_ONLY });
    try {
      await this.storage.write(indexKey, { id: record.id }, existing ? { ifMatch: existing.etag } : { ifMatch: CREATE_ONLY });
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
      // Issued concurrently by another turn: keep theirs and drop ours.
      await this.storage.delete(certificateKey(record.id));
      return this.issue(request);
    }
    return this.describe(record);
  }

  /** A stored certificate, or undefined for an unknown or malformed id. */
  async find(id: string): Promise<CertificateRecord | undefined> {
    if (!CERTIFICATE_ID.test(id)) return undefined;
    return (await this.storage.read<CertificateRecord>(certificateKey(id)))?.value;
  }

  links(id: string): IssuedCertificate['links'] {
    const base = `${this.options.baseUrl().replace(/\/+$/, '')}/certificates/${id}`;
    return { verify: base, pdf: `${base}.pdf`, openBadge: `${base}.json` };
  }

  private describe(record: CertificateRecord): IssuedCertificate {
    return { id: record.id, learnerName: record.learnerName, courseTitle: record.courseTitle, issuedAt: record.issuedAt, issuer: record.issuer, links: this.links(record.id) };
  }
}
