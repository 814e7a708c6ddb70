import fs from 'node:fs';
import path from 'node:path';
import { renderCertificatePdf } from '../../src/adapters/certificates/certificate-pdf';
import { visualRuns } from '../../src/adapters/certificates/bidi-runs';
import { buildOpenBadgeCredential } from '../../src/adapters/certificates/open-badge';
import type { CertificateRecord } from '../../src/ports/certificates';
import { pdfText } from '../../src/adapters/retrieval/reference-documents';
import { SUPPORTED_LANGUAGES, type Language } from '../../src/config/config-schema';
import { isolateLtrRuns } from '../../src/i18n/bidi-isolate';
import type { Localizer } from '../../src/i18n/i18n';
import { localeString } from '../support/app-harness';
import { localizer, REPO_ROOT } from './harness';

/** Rendered certificates are also kept as PNG pages, to look at what a learner gets. */
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'certificates');

const record = (lang: Language, learnerName: string): CertificateRecord => ({
  id: '3f2b6c1e-8a4d-4e2f-9b1a-2c3d4e5f6a7b',
  learnerName,
  lang,
  courseId: 'course',
  courseTitle: localeString(lang, 'webchat', 'page.heading'),
  completedAt: '2026-03-01T10:00:00.000Z',
  issuedAt: '2026-03-02T09:00:00.000Z',
  issuer: { name: 'Ministry of Testing', url: 'https://ministry.example.org' },
});
const VERIFY_URL = 'https://coach.agency.test/certificates/3f2b6c1e-8a4d-4e2f-9b1a-2c3d4e5f6a7b';

async function savePagePng(pdf: Buffer, name: string): Promise<void> {
  const { PDFParse } = await import('pdf-parse');
  const shot = await new PDFParse({ data: new Uint8Array(pdf) }).getScreenshot({ scale: 1 });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, `${name}.png`), Buffer.from(shot.pages[0].data));
}

describe('certificate PDF in the learner’s language', () => {
  let loc: Localizer;
  beforeAll(async () => {
    loc = await localizer();
  });

  test.each(SUPPORTED_LANGUAGES.map((lang) => [lang]))('the %s certificate is worded in that language', async (lang) => {
    const pdf = await renderCertificatePdf(record(lang, 'Amina Diallo'), loc.forLanguage(lang), { verifyUrl: VERIFY_URL });
    await savePagePng(pdf, lang);
    const text = (await pdfText(pdf)).replace(/\u00a0/g, ' ');
    for (const key of ['heading', 'certifies', 'completed', 'passed']) expect(text).toContain(localeString(lang, 'course', `certificate.document.${key}`));
    if (lang !== 'en') expect(text).not.toContain(localeString('en', 'course', 'certificate.document.heading'));
    expect(text).toContain('Amina Diallo');
  });

  test('without ORG_NAME and ORG_URL the certificate and badge say no organisation is configured, in the learner’s language', async () => {
    for (const lang of ['en', 'ar'] as const) {
      const unconfigured = { ...record(lang, 'Amina Diallo'), issuer: {} };
      const text = (await pdfText(await renderCertificatePdf(unconfigured, loc.forLanguage(lang), { verifyUrl: VERIFY_URL }))).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');
      expect(text).toContain(localeString(lang, 'common', 'organisation.notConfigured').replace(/\s+/g, ' ').split(' (')[0]);
      expect(text).not.toMatch(/Your organisation|example\.org/);
      const badge = buildOpenBadgeCredential(unconfigured, { verify: VERIFY_URL, openBadge: `${VERIFY_URL}.json` }, loc.forLanguage(lang));
      expect(badge.issuer).toEqual({ id: 'https://coach.agency.test', type: ['Profile'], name: localeString(lang, 'common', 'organisation.notConfigured'), url: 'https://coach.agency.test' });
    }
  });

  test('the Arabic certificate reads right to left, with its date, id, web addresses and a Latin organisation name intact', async () => {
    const pdf = await renderCertificatePdf(record('ar', 'أمينة ديالو'), loc.forLanguage('ar'), { verifyUrl: VERIFY_URL });
    // Text comes out in the order it is drawn, left to right: an Arabic label is the last thing on its line.
    const lines = (await pdfText(pdf)).replace(/\u00a0/g, ' ').split('\n');
    const line = (label: string) => lines.find((l) => l.includes(label)) ?? '';
    const dateLine = line('التاريخ');
    expect(dateLine.trim().endsWith('التاريخ:')).toBe(true);
    expect(dateLine).toMatch(/2026/);
    const issuedBy = line('صادرة عن');
    expect(issuedBy.trim().endsWith('صادرة عن')).toBe(true);
    expect(issuedBy).toContain('(https://ministry.example.org) Ministry of Testing');
    expect(line('للتحقق').trim()).toBe(`${VERIFY_URL} للتحقق:`);
    expect(line('رمز التحقق').trim()).toBe('3f2b6c1e-8a4d-4e2f-9b1a-2c3d4e5f6a7b رمز التحقق:');
    expect(lines).toContain('أمينة ديالو');
  });
});

describe('bidirectional line layout', () => {
  test('an Arabic line keeps its numbers left to right and puts its first word on the right', () => {
    const runs = visualRuns('التاريخ: 2 مارس 2026', 'rtl');
    expect(runs.map((r) => r.text.trim()).filter(Boolean)).toEqual(['2026', 'مارس', '2', 'التاريخ:']);
    expect(runs.find((r) => r.text.includes('مارس'))?.rtl).toBe(true);
    expect(runs.find((r) => r.text === '2026')?.rtl).toBe(false);
  });

  test('brackets around a Latin name in Arabic text are mirrored and the name is not reversed', () => {
    const runs = visualRuns(isolateLtrRuns('أصدرتها (Ministry of Testing)'), 'rtl');
    // Left to right on the page: "(" (the closing bracket, mirrored), the name, then the Arabic run, which
    // the font's shaper gets in reading order with its opening bracket mirrored and lays out right to left.
    expect(runs.map((r) => r.text)).toEqual(['(', 'Ministry of Testing', 'أصدرتها )']);
  });

  test('an Arabic name in an English sentence is one right-to-left run in reading order', () => {
    const runs = visualRuns('Issued to أمينة ديالو today', 'ltr');
    expect(runs).toEqual([
      { text: 'Issued to ', rtl: false },
      { text: 'أمينة ديالو', rtl: true },
      { text: ' today', rtl: false },
    ]);
  });

  test('Latin acronyms, numbers and web addresses in Arabic text are isolated; other text is left alone', () => {
    expect(isolateLtrRuns('الذكاء الاصطناعي (AI) بنسبة 70% في https://example.org/a.')).toBe('الذكاء الاصطناعي (\u2066AI\u2069) بنسبة \u206670%\u2069 في \u2066https://example.org/a\u2069.');
    expect(isolateLtrRuns('npm run chat أو')).toBe('\u2066npm run chat\u2069 أو');
    // Markdown link targets stay as they are, so links keep working.
    expect(isolateLtrRuns('اقرأ [GDPR](https://example.org/gdpr)')).toBe('اقرأ [\u2066GDPR\u2069](https://example.org/gdpr)');
    expect(isolateLtrRuns('AI in government (70%)')).toBe('AI in government (70%)');
  });
});
