import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { Language } from '../../config/config-schema';
import type { Localizer, Translate } from '../../i18n/i18n';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';
import type { Course, CourseCatalog } from '../course/content-model';
import { withoutTrailingSlashes } from '../text-normalize';
import { cohortKey, type Cohort } from './cohort-model';
import { memberStandings, type MemberStanding } from './cohort-report';

/** Excel reads a UTF-8 CSV correctly (Arabic names included) only with a byte-order mark. */
const BOM = '\uFEFF';

/**
 * One row per member: name, e-mail/UPN, modules completed, final passed, certificate id and
 * date, last active. Never answers or free text. Quoting is csv-stringify's.
 */
export async function cohortCsv(standings: MemberStanding[], course: Course, t: Translate, certificateDate: (id: string) => Promise<string | undefined>): Promise<string> {
  const header = ['name', 'email', 'modulesCompleted', 'finalPassed', 'certificateId', 'certificateDate', 'lastActive'].map((c) => t(`cohorts:export.columns.${c}`));
  const rows = await Promise.all(
    standings.map(async (s) => [
      s.member.name ?? '',
      s.member.email ?? '',
      `${s.modulesDone.length}/${course.modules.length}`,
      s.finalPassed ? t('cohorts:export.yes') : t('cohorts:export.no'),
      s.certificateId ?? '',
      s.certificateId ? ((await certificateDate(s.certificateId))?.slice(0, 10) ?? '') : '',
      s.lastActive?.slice(0, 10) ?? '',
    ]),
  );
  return BOM + stringify([header, ...rows], { record_delimiter: 'windows' });
}

/**
 * A download link's record, under `cohort-export:<id>`. It holds no personal data: the CSV is
 * built from the cohort when the link is opened, so nothing lingers after the link expires.
 */
export interface StoredExport {
  id: string;
  cohortId: string;
  fileName: string;
  /** Header language (the facilitator's). */
  lang: Language;
  expiresAt: string;
}

/** What the CSV needs: the cohort's documents, the course, the translations and certificate dates. */
export interface CohortExportDeps {
  storage: StoragePort;
  catalog: CourseCatalog;
  localizer: Localizer;
  certificateDate: (id: string) => Promise<string | undefined>;
}

/** The file behind an opened link, from the cohort as it is now; undefined when the cohort is gone. */
export async function buildCohortExport(deps: CohortExportDeps, link: StoredExport, now: Date): Promise<{ fileName: string; csv: string } | undefined> {
  const cohort = (await deps.storage.read<Cohort>(cohortKey(link.cohortId)))?.value;
  if (!cohort) return undefined;
  const course = deps.catalog.get(link.lang);
  const standings = await memberStandings(deps.storage, cohort, course, now);
  return { fileName: link.fileName, csv: await cohortCsv(standings, course, deps.localizer.forLanguage(link.lang), deps.certificateDate) };
}

const KEY_DOC = 'cohort-export-signing-key';
export const EXPORT_LINK_TTL_MS = 15 * 60_000;

export function exportKey(id: string): string {
  return `cohort-export:${id}`;
}

/**
 * Short-lived signed download links on the bot's own host. The signing key is a random
 * document created once in storage, so every instance signs and verifies with the same key.
 */
export class ExportLinks {
  private key?: Promise<Buffer>;

  constructor(
    private readonly storage: StoragePort,
    private readonly baseUrl: () => string,
  ) {}

  async store(cohortId: string, fileName: string, lang: Language, now: Date): Promise<{ id: string; url: string; expiresAt: string }> {
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + EXPORT_LINK_TTL_MS).toISOString();
    await this.storage.write(exportKey(id), { id, cohortId, fileName, lang, expiresAt } satisfies StoredExport, { ifMatch: CREATE_ONLY });
    const expires = String(Date.parse(expiresAt));
    const sig = await this.sign(id, expires);
    return { id, expiresAt, url: `${withoutTrailingSlashes(this.baseUrl())}/cohorts/exports/${id}?expires=${expires}&sig=${sig}` };
  }

  /** The export when the signature holds and the link has not expired; undefined otherwise. */
  async open(id: string, expires: string, sig: string, now: Date): Promise<StoredExport | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id) || !/^\d{1,15}$/.test(expires) || !/^[0-9a-f]{64}$/.test(sig)) return undefined;
    const expected = Buffer.from(await this.sign(id, expires), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex')) || Number(expires) < now.getTime()) return undefined;
    const stored = (await this.storage.read<StoredExport>(exportKey(id)))?.value;
    return stored && Date.parse(stored.expiresAt) >= now.getTime() ? stored : undefined;
  }

  private async sign(id: string, expires: string): Promise<string> {
    return createHmac('sha256', await this.signingKey())
      .update(`${id}.${expires}`)
      .digest('hex');
  }

  private signingKey(): Promise<Buffer> {
    return (this.key ??= (async () => {
      const existing = await this.storage.read<{ key: string }>(KEY_DOC);
      if (existing) return Buffer.from(existing.value.key, 'base64');
      try {
        await this.storage.write(KEY_DOC, { key: randomBytes(32).toString('base64') }, { ifMatch: CREATE_ONLY });
      } catch (err) {
        if (!(err instanceof StorageConflictError)) throw err;
      }
      // Read back: if another instance created it first, theirs is the key.
      return Buffer.from((await this.storage.read<{ key: string }>(KEY_DOC))!.value.key, 'base64');
    })().catch((err) => {
      this.key = undefined;
      throw err;
    }));
  }
}
