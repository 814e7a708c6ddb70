import fs from 'node:fs';
import path from 'node:path';
import { renderCertificatePdf } from '../../src/adapters/certificates/certificate-pdf';
import { buildOpenBadgeCredential } from '../../src/adapters/certificates/open-badge';
import type { CertificateRecord } from '../../src/ports/certificates';
import { pdfText } from '../../src/adapters/retrieval/reference-documents';
import type { Language } from '../../src/config/config-schema';
import { localizer, REPO_ROOT } from './harness';

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'certificates');
const VERIFY_URL = 'https://coach.agency.test/certificates/3f2b6c1e-8a4d-4e2f-9b1a-2c3d4e5f6a7b';
const MODULES = ['1. AI and human rights', '2. Ethics of AI', '3. Data governance', '4. Inclusive service design', '5. Leadership for digital transformation', '6. Hands-on with generative AI'];

const record = (lang: Language, extra: Partial<CertificateRecord> = {}): CertificateRecord => ({
  id: '3f2b6c1e-8a4d-4e2f-9b1a-2c3d4e5f6a7b',
  learnerName: 'Amina Diallo',
  lang,
  courseId: 'course',
  courseTitle: 'AI and Digital Transformation in Government',
  completedAt: '2026-03-01T10:00:00.000Z',
  issuedAt: '2026-03-02T09:00:00.000Z',
  issuer: { name: 'Ministry of Testing', url: 'https://ministry.example.org' },
  ...extra,
});

describe('the certificate states the computed learning time and the modules completed', () => {
  it('prints them on the PDF, on one page, below "passed its final assessment"', async () => {
    const loc = await localizer();
    const pdf = await renderCertificatePdf(record('en', { estimatedMinutes: 661, modules: MODULES }), loc.forLanguage('en'), { verifyUrl: VERIFY_URL });
    const { PDFParse } = await import('pdf-parse');
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const shot = await parser.getScreenshot({ scale: 1 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'en-with-scope.png'), Buffer.from(shot.pages[0].data));
    expect(shot.pages).toHaveLength(1);
    const text = (await pdfText(pdf)).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('and passed its final assessment. Estimated learning time: about 11 hours.');
    expect(text).toContain('Modules completed: 1. AI and human rights; 2. Ethics of AI;');
    expect(text).toContain('6. Hands-on with generative AI');
    // Everything below still fits on the page.
    expect(text).toContain('This certificate is issued by Ministry of Testing.');
  });

  it('leaves them out of certificates issued before the estimate existed', async () => {
    const loc = await localizer();
    const text = await pdfText(await renderCertificatePdf(record('en'), loc.forLanguage('en'), { verifyUrl: VERIFY_URL }));
    expect(text).not.toContain('Estimated learning time');
  });

  it('states them in the Open Badge credential, in the certificate language', async () => {
    const loc = await localizer();
    const badge = buildOpenBadgeCredential(record('fr', { estimatedMinutes: 661, modules: MODULES }), { verify: VERIFY_URL, openBadge: `${VERIFY_URL}.json` }, loc.forLanguage('fr')) as any;
    const achievement = badge.credentialSubject.achievement;
    expect(achievement.description).toContain('Durée d’apprentissage estimée'.replace('’', "'"));
    expect(achievement.description).toContain('environ 11 heures');
    expect(achievement.description).toContain('1. AI and human rights; 2. Ethics of AI');
    expect(achievement.creditsAvailable).toBe(11);
    expect(achievement.tag).toEqual(MODULES);
  });
});
