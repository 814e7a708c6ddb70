import { createHash, randomBytes } from 'node:crypto';
import type { StoragePort } from '../../ports/storage';
import { listAll, type PersonalDataSource } from './personal-data';

/** What a link downloads: a learner's own data, or the audit log for an administrator. */
export type DownloadKind = 'learner-export' | 'audit-export';

export interface DownloadLink {
  kind: DownloadKind;
  /** The learner key the link was made for (the data's owner, or the administrator). */
  owner: string;
  expiresAt: string;
  /** Audit exports: the period covered. */
  range?: { from: string; to: string };
}

export const DOWNLOAD_LINK_PREFIX = 'download-link:';
/** Long enough to open the link from the chat, short enough that a forwarded link soon stops working. */
export const DOWNLOAD_LINK_TTL_MS = 15 * 60 * 1000;

/**
 * Short-lived download links for exports. The token is 32 random bytes; storage keeps only its
 * SHA-256, so a database reader cannot rebuild a link. Links live in the storage port, so a
 * link made on one instance opens on any other. The file is built when the link is opened and
 * never stored.
 */
export class DownloadLinks {
  constructor(private readonly storage: StoragePort) {}

  async create(link: Omit<DownloadLink, 'expiresAt'>, now: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const value: DownloadLink = { ...link, expiresAt: new Date(now.getTime() + DOWNLOAD_LINK_TTL_MS).toISOString() };
    await this.storage.write(keyOf(token), value);
    return token;
  }

  /** The link behind a token, or undefined when it is unknown, malformed or expired. */
  async resolve(token: string, now: Date): Promise<DownloadLink | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const doc = await this.storage.read<DownloadLink>(keyOf(token));
    if (!doc || Date.parse(doc.value.expiresAt) <= now.getTime()) return undefined;
    return doc.value;
  }

  /** Deletes expired links (the retention job calls this). */
  async purgeExpired(now: Date): Promise<number> {
    let deleted = 0;
    for (const key of await listAll(this.storage, DOWNLOAD_LINK_PREFIX)) {
      const doc = await this.storage.read<DownloadLink>(key);
      if (doc && Date.parse(doc.value.expiresAt) <= now.getTime() && (await this.storage.delete(key))) deleted++;
    }
    return deleted;
  }

  /** A learner's open links are erased with them; they are not worth exporting. */
  personalDataSource(): PersonalDataSource {
    return {
      name: 'downloadLinks',
      labelKey: 'privacy:sections.downloadLinks',
      export: async () => undefined,
      erase: async (subject) => {
        let deleted = 0;
        for (const key of await listAll(this.storage, DOWNLOAD_LINK_PREFIX)) {
          const doc = await this.storage.read<DownloadLink>(key);
          if (doc?.value.owner === subject.learnerKey && (await this.storage.delete(key))) deleted++;
        }
        return deleted;
      },
    };
  }
}

function keyOf(token: string): string {
  return `${DOWNLOAD_LINK_PREFIX}${createHash('sha256').update(token).digest('hex')}`;
}
