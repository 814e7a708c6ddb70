import { createHash, randomUUID } from 'node:crypto';
import type { CertificateIssuer, CertificateLookup, CertificateRecord, CertificateRequest, IssuedCertificate, RevocationOutcome, RevokedCertificateRecord } from '../../ports/certificates';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';
import { withoutTrailingSlashes } from '../../core/text-normalize';

export interface CertificateStoreOptions {
  issuer: { name?: string; url?: string };
  /** Public base URL of this server (PUBLIC_BASE_URL, or the URL it listens on). */
  baseUrl: () => string;
  now?: () => Date;
}

const CERTIFICATE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function certificateKey(id: string): string {
  return `certificate:${id}`;
}

function isRevoked(record: CertificateRecord | RevokedCertificateRecord): record is RevokedCertificateRecord {
  return 'revoked' in record;
}

/** A certificate without its holder's name: what verification answers once it is revoked. */
function revocationNotice(record: CertificateRecord, at: Date, reason: RevokedCertificateRecord['revoked']['reason']): RevokedCertificateRecord {
  const { id, courseId, courseTitle, lang, issuedAt, issuer } = record;
  return { id, courseId, courseTitle, lang, issuedAt, issuer, revoked: { at: at.toISOString(), reason } };
}

function learnerIndexKey(learnerKey: string, courseId: string): string {
  return `certificate:learner:${createHash('sha256').update(`${learnerKey}|${courseId}`).digest('hex')}`;
}

/**
 * Issues certificates through the storage port. One certificate per learner and course:
 * asking again (or a retried turn) returns the one already issued.
 */
export class CertificateStore implements CertificateIssuer, CertificateLookup {
  constructor(
    private readonly storage: StoragePort,
    private readonly options: CertificateStoreOptions,
  ) {}

  async issue(request: CertificateRequest): Promise<IssuedCertificate> {
    const indexKey = learnerIndexKey(request.learnerKey, request.courseId);
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
      ...(request.estimatedMinutes !== undefined ? { estimatedMinutes: Math.round(request.estimatedMinutes) } : {}),
      ...(request.modules?.length ? { modules: request.modules } : {}),
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

  /** A valid stored certificate, or undefined for an unknown, malformed or revoked id. */
  async find(id: string): Promise<CertificateRecord | undefined> {
    const record = await this.lookup(id);
    return record && !isRevoked(record) ? record : undefined;
  }

  /** The revocation notice of a certificate erased at its holder's request. */
  async revocation(id: string): Promise<RevokedCertificateRecord | undefined> {
    const record = await this.lookup(id);
    return record && isRevoked(record) ? record : undefined;
  }

  /** The certificates one learner holds (through the per-course index), for their data export. */
  async heldBy(learnerKey: string, courseIds: string[]): Promise<CertificateRecord[]> {
    const held: CertificateRecord[] = [];
    for (const courseId of new Set(courseIds)) {
      const index = await this.storage.read<{ id: string }>(learnerIndexKey(learnerKey, courseId));
      const record = index && (await this.find(index.value.id));
      if (record) held.push(record);
    }
    return held;
  }

  /**
   * Erasure at the holder's request: each certificate becomes a revocation notice without the
   * name, and the learner's index entries go. Returns how many documents changed.
   */
  async revokeHeldBy(learnerKey: string, courseIds: string[], now: Date): Promise<number> {
    let changed = 0;
    for (const courseId of new Set(courseIds)) {
      const indexKey = learnerIndexKey(learnerKey, courseId);
      const index = await this.storage.read<{ id: string }>(indexKey);
      if (!index) continue;
      const record = await this.find(index.value.id);
      if (record) {
        await this.storage.write(certificateKey(record.id), revocationNotice(record, now, 'holder_request'));
        changed++;
      }
      if (await this.storage.delete(indexKey)) changed++;
    }
    return changed;
  }

  /**
   * An administrator withdraws a certificate: it becomes a revocation notice (without the name)
   * and verification says so. Revoking twice changes nothing.
   */
  async revoke(id: string, at: Date): Promise<RevocationOutcome> {
    const key = id.toLowerCase();
    const stored = CERTIFICATE_ID.test(key) ? await this.storage.read<CertificateRecord | RevokedCertificateRecord>(certificateKey(key)) : undefined;
    if (!stored) return 'unknown';
    if (isRevoked(stored.value)) return 'already';
    try {
      await this.storage.write(certificateKey(key), revocationNotice(stored.value, at, 'issuer'), { ifMatch: stored.etag });
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
      return this.revoke(id, at);
    }
    return 'revoked';
  }

  private async lookup(id: string): Promise<CertificateRecord | RevokedCertificateRecord | undefined> {
    if (!CERTIFICATE_ID.test(id)) return undefined;
    return (await this.storage.read<CertificateRecord | RevokedCertificateRecord>(certificateKey(id)))?.value;
  }

  links(id: string): IssuedCertificate['links'] {
    const base = `${withoutTrailingSlashes(this.options.baseUrl())}/certificates/${id}`;
    return { verify: base, pdf: `${base}.pdf`, openBadge: `${base}.json`, signedOpenBadge: `${base}.jwt` };
  }

  private describe(record: CertificateRecord): IssuedCertificate {
    return { id: record.id, learnerName: record.learnerName, courseTitle: record.courseTitle, issuedAt: record.issuedAt, issuer: record.issuer, links: this.links(record.id) };
  }
}
