import { SHARED_INDEX_DIR } from '../support/app-harness';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { createApp, type App } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/config';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { renderCertificatePdf } from '../../src/adapters/certificates/certificate-pdf';
import { pdfText } from '../../src/adapters/retrieval/reference-documents';
import { buildOpenBadgeCredential } from '../../src/adapters/certificates/open-badge';
import type { CertificateRecord } from '../../src/ports/certificates';
import { indexOf } from '../../src/core/course/course-index';
import type { Reply } from '../../src/intents/reply';
import type { TurnInput } from '../../src/core/turn';
import { KNOWLEDGE_DIR, localizer, REPO_ROOT, SHARED_DIR, silentLogger } from './harness';

const schema = JSON.parse(fs.readFileSync(path.join(SHARED_DIR, 'schemas', 'openbadges', 'achievementcredential.json'), 'utf8'));

function badgeValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('certificate of completion (full app over HTTP)', () => {
  let dir: string;
  let app: App;
  let url: string;
  let n = 0;
  const send = (input: Partial<TurnInput>) =>
    app.coach.handle({ channelId: 'msteams', userId: 'learner-1', userName: 'Amina Diallo', conversationId: 'c1', scope: 'personal', activityId: `a${++n}`, ...input });
  const press = async (command: string, args?: Record<string, string>) => (await send({ action: { command, args } })).replies;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-cert-'));
    const config = loadConfig(
      // The retrieval index is kept between runs (rebuilt only when the content changes).
      {
        HOST: '127.0.0.1',
        PORT: '0',
        KNOWLEDGE_DIR,
        DATA_DIR: dir,
        INDEX_DIR: SHARED_INDEX_DIR,
        LOG_LEVEL: 'silent',
        WEBCHAT_ENABLED: 'false',
        RATE_LIMIT_TURNS_PER_MINUTE: '0',
        ORG_NAME: 'Ministry of Testing',
        ORG_URL: 'https://ministry.example.org',
      },
      REPO_ROOT,
    );
    app = await createApp(config, { logger: silentLogger, storage: new SqliteStorage(path.join(dir, 'app.sqlite')) });
    url = await app.start();
  }, 300_000);
  afterAll(async () => {
    await app.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the app exposes the loaded catalog', () => {
    expect(app.catalog.get('en').modules).toHaveLength(6);
  });

  test('a failed module quiz leaves the module incomplete until the missed questions are retried', async () => {
    const index = indexOf(app.catalog.get('en'));
    await press('lesson.open', { lesson: 'm1-l1' });
    // Complete the four lessons of module 1 with correct answers.
    for (const lesson of index.modules.get('m1')!.lessons) {
      await press('lesson.open', { lesson: lesson.id });
      await walkUntil((r) => r.intent === 'quiz-summary');
    }
    let replies = await press('quiz', { id: 'm1' });
    for (const q of index.modules.get('m1')!.quiz) {
      const wrong = q.options.find((o) => !o.correct)!;
      await press('quiz.answer', { question: q.id, answer: wrong.id });
      replies = await press('next');
    }
    const failed = replies.at(-1)!;
    expect(failed.intent).toBe('quiz-summary');
    expect(failed.text).toMatch(/not reached the pass mark of 70%/);
    let progress = (await press('progress'))[0];
    expect(progress.facts).toContainEqual({ label: 'Modules completed', value: '0/6' });

    replies = await press('quiz.retry', { quiz: 'm1' });
    const passed = await walkUntil((r) => r.intent === 'quiz-summary', replies);
    expect(passed.text).toMatch(/You passed/);
    expect(passed.text).toMatch(/overall score for this quiz is now 100%/);
    progress = (await press('progress'))[0];
    expect(progress.facts).toContainEqual({ label: 'Modules completed', value: '1/6' });
  });

  test('after every module and a passed final, the learner gets a certificate with PDF and Open Badge links', async () => {
    expect((await press('certificate'))[0].intent).toBe('notice');
    let replies = await press('start');
    const final = await walkUntil((r) => r.intent === 'quiz-summary' && r.title === 'Final assessment complete', replies);
    expect(final.text).toMatch(/You passed/);
    replies = await press('certificate');
    const cert = replies[0];
    expect(cert.intent).toBe('certificate');
    expect(cert.text).toMatch(/not the official UNESCO \/ University of Oxford certificate/);
    const id = cert.facts!.find((f) => f.label === 'Verification id')!.value;
    expect(cert.attachments!.map((a) => a.url)).toEqual([`${url}/certificates/${id}.pdf`, `${url}/certificates/${id}.json`, `${url}/certificates/${id}.jwt`]);
    expect(cert.text).toContain(`${url}/certificates/${id}`);
    // Asking again returns the same certificate.
    expect((await press('certificate'))[0].facts).toContainEqual({ label: 'Verification id', value: id });
    expect(await app.storage.list('certificate:')).toContain(`certificate:${id}`);

    const verify = await fetch(`${url}/certificates/${id}`);
    expect(verify.status).toBe(200);
    expect(await verify.json()).toMatchObject({
      valid: true,
      id,
      learnerName: 'Amina Diallo',
      course: 'AI and Digital Transformation in Government',
      issuer: { name: 'Ministry of Testing', url: 'https://ministry.example.org' },
    });

    const pdf = await fetch(`${url}/certificates/${id}.pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const badge = await fetch(`${url}/certificates/${id}.json`);
    expect(badge.status).toBe(200);
    const validate = badgeValidator();
    const credential = await badge.json();
    expect(validate(credential)).toBe(true);
    expect(credential.issuer).toMatchObject({ name: 'Ministry of Testing' });
  }, 300_000);

  test('unknown or malformed certificate ids are not genuine', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id', '00000000-0000-4000-8000-000000000000.pdf']) {
      const res = await fetch(`${url}/certificates/${id}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ valid: false });
    }
  });

  /** Presses the primary way forward (answering every question correctly) until `done` matches. */
  async function walkUntil(done: (r: Reply) => boolean, start?: Reply[]): Promise<Reply> {
    const index = indexOf(app.catalog.get('en'));
    let replies = start ?? (await press('next'));
    for (let turns = 0; turns < 6000; turns++) {
      const last = replies.at(-1)!;
      if (done(last)) return last;
      if (last.intent === 'ask-question') {
        const question = index.questions.get(last.choices!.args.question)!.question;
        replies = await press('quiz.answer', {
          question: question.id,
          answer: question.options
            .filter((o) => o.correct)
            .map((o) => o.id)
            .join(','),
        });
        continue;
      }
      const forward = last.actions?.find((a) => a.command === 'next' || (a.command === 'quiz' && a.args?.id === 'final'));
      if (!forward) throw new Error(`no way forward from ${last.intent}: ${last.text}`);
      replies = await press(forward.command, forward.args);
    }
    throw new Error('walk did not finish');
  }
});

describe('certificate documents', () => {
  const record: CertificateRecord = {
    id: '3f2b6c1e-8a4d-4e2f-9b1a-2c3d4e5f6a7b',
    learnerName: 'Amina Diallo',
    lang: 'en',
    courseId: 'course',
    courseTitle: 'AI and Digital Transformation in Government',
    completedAt: '2026-03-01T10:00:00.000Z',
    issuedAt: '2026-03-02T09:00:00.000Z',
    issuer: { name: 'Ministry of Testing', url: 'https://ministry.example.org' },
  };
  const links = { verify: `https://bot.example.org/certificates/${record.id}`, openBadge: `https://bot.example.org/certificates/${record.id}.json` };

  test('the PDF is a real PDF with the learner name, course, verification id and the not-official notice', async () => {
    const t = (await localizer()).forLanguage('en');
    const pdf = await renderCertificatePdf(record, t, { verifyUrl: links.verify });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/%%EOF\s*$/);
    const pageText = await pdfText(pdf);
    expect(pageText).toContain('Amina Diallo');
    expect(pageText).toContain(record.courseTitle);
    expect(pageText).toContain(`Verification id: ${record.id}`);
    expect(pageText.replace(/\s+/g, ' ')).toContain('not the official UNESCO / University of Oxford certificate');
  });

  test('the PDF draws names in other scripts (Arabic, Vietnamese) with an embedded Unicode font', async () => {
    const loc = await localizer();
    for (const learnerName of ['أمينة ديالو', 'Nguyễn Thị Ōkubo']) {
      const named: CertificateRecord = { ...record, learnerName };
      const text = await pdfText(await renderCertificatePdf(named, loc.forLanguage('en'), { verifyUrl: 'https://example.org/v' }));
      // Extracted text has the name's letters (order aside for right-to-left scripts).
      for (const word of learnerName.split(' ')) expect(text.replace(/\u00a0/g, ' ')).toMatch(new RegExp([...word].join('.{0,2}')));
    }
  });

  test('the Open Badges 3.0 credential validates against the 1EdTech schema and names the learner', async () => {
    const t = (await localizer()).forLanguage('en');
    const credential = buildOpenBadgeCredential(record, links, t);
    const validate = badgeValidator();
    expect(validate(credential)).toBe(true);
    expect(credential).toMatchObject({
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      credentialSubject: { identifier: [{ identityHash: 'Amina Diallo', identityType: 'name', hashed: false }] },
    });
    expect(JSON.stringify(credential)).toMatch(/not the official UNESCO \/ University of Oxford certificate/);
    // The schema rejects a credential without an issuer, so the check above is meaningful.
    expect(validate({ ...credential, issuer: undefined })).toBe(false);
  });
});
