import path from 'node:path';
import type PdfKitModule from 'pdfkit';
import { directionOf, type Translate } from '../../i18n/i18n';
import { isolateLtrRuns } from '../../i18n/bidi-isolate';
import type { Language } from '../../config/config-schema';
import type { CertificateRecord } from '../../ports/certificates';
import { visualRuns } from './bidi-runs';
import { certificateScope } from './certificate-scope';

export interface PdfOptions {
  verifyUrl: string;
  /** Compress content streams (default true); tests turn it off to read the text. */
  compress?: boolean;
  /** Language of the wording and the date (default: the certificate's language). */
  lang?: Language;
}

/**
 * DejaVu Sans covers Latin, Greek, Cyrillic and Arabic, and its OpenType tables join Arabic
 * letters (pdfkit's font engine applies them), so names and certificates in every course
 * language print correctly (PDF's built-in Helvetica has Latin only).
 */
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = path.join(FONT_DIR, 'DejaVuSans.ttf');
const BOLD = path.join(FONT_DIR, 'DejaVuSans-Bold.ttf');
const MARGIN = 56;

/** Renders the certificate of completion as an A4 landscape PDF, worded and laid out in its language. */
export function renderCertificatePdf(record: CertificateRecord, t: Translate, options: PdfOptions): Promise<Buffer> {
  const lang = options.lang ?? record.lang;
  // Unset ORG_NAME / ORG_URL are said plainly, never replaced by a made-up organisation.
  const org = record.issuer.name ?? t('common:organisation.notConfigured');
  const vars = { org, url: record.issuer.url ?? new URL(options.verifyUrl).origin };
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(record.issuedAt));
  // Loaded on the first certificate rather than at start-up: pdfkit is large and most runs never print one.
  const PDFDocument: typeof PdfKitModule = require('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    compress: options.compress ?? true,
    lang,
    info: {
      Title: `${t('course:certificate.document.heading')}: ${record.courseTitle}`,
      Author: org,
      Subject: `${record.learnerName} (${t('course:certificate.document.verification', { id: record.id })})`,
      Keywords: record.id,
      CreationDate: new Date(record.issuedAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const page = new CenteredText(doc, directionOf(lang));
  doc
    .rect(28, 28, doc.page.width - 56, doc.page.height - 56)
    .lineWidth(2)
    .stroke('#1f4e79');
  page.gap(1.5, REGULAR, 14);
  page.paragraph(org, REGULAR, 14, '#333333');
  page.gap(1, BOLD, 32);
  page.paragraph(t('course:certificate.document.heading'), BOLD, 32, '#1f4e79');
  page.gap(1, REGULAR, 14);
  page.paragraph(t('course:certificate.document.certifies'), REGULAR, 14, '#333333');
  page.gap(0.5, BOLD, 26);
  page.paragraph(record.learnerName, BOLD, 26, '#000000');
  page.gap(0.5, REGULAR, 14);
  page.paragraph(t('course:certificate.document.completed'), REGULAR, 14, '#333333');
  page.gap(0.3, BOLD, 18);
  page.paragraph(record.courseTitle, BOLD, 18, '#333333');
  page.gap(0.3, REGULAR, 14);
  page.paragraph(t('course:certificate.document.passed'), REGULAR, 14, '#333333');
  // What the learner completed: the duration computed from the content, and the modules.
  const scope = certificateScope(record, t);
  if (scope.duration || scope.modules) page.gap(0.4, REGULAR, 10);
  if (scope.duration) page.paragraph(scope.duration, REGULAR, 11, '#333333');
  if (scope.modules) page.paragraph(scope.modules, REGULAR, 9, '#333333');
  page.gap(scope.duration || scope.modules ? 0.6 : 1.2, REGULAR, 12);
  page.paragraph(t('course:certificate.document.date', { date }), REGULAR, 12, '#333333');
  page.paragraph(t('course:certificate.document.issuedBy', vars), REGULAR, 12, '#333333');
  page.paragraph(t('course:certificate.document.verification', { id: record.id }), REGULAR, 12, '#333333');
  page.paragraph(t('course:certificate.document.verifyAt', { url: options.verifyUrl }), REGULAR, 12, '#333333');
  page.gap(1, REGULAR, 9);
  page.paragraph(t('course:certificate.document.notOfficial', vars), REGULAR, 9, '#555555');
  doc.end();
  return done;
}

/**
 * Centred paragraphs laid out line by line: words are wrapped in reading order, then each line
 * is split into bidirectional runs and drawn left to right, so an Arabic sentence with a date,
 * an id or a Latin organisation name reads right to left with its numbers and names intact.
 */
class CenteredText {
  private y: number;
  private readonly width: number;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly dir: 'ltr' | 'rtl',
  ) {
    this.y = doc.page.margins.top;
    this.width = doc.page.width - 2 * MARGIN;
  }

  /** Vertical space of `lines` lines of the given font. */
  gap(lines: number, font: string, size: number): void {
    this.y += lines * this.doc.font(font).fontSize(size).currentLineHeight(true);
  }

  paragraph(text: string, font: string, size: number, color: string): void {
    const doc = this.doc.font(font).fontSize(size).fillColor(color);
    for (const line of this.wrap(text)) {
      const runs = visualRuns(this.dir === 'rtl' ? isolateLtrRuns(line) : line, this.dir).map((run) => ({
        // No-break spaces: pdfkit would otherwise split a run into words and drop the spaces between them.
        text: run.text.replace(/ /g, '\u00a0'),
      }));
      const total = runs.reduce((sum, run) => sum + doc.widthOfString(run.text), 0);
      let x = MARGIN + (this.width - total) / 2;
      for (const run of runs) {
        doc.text(run.text, x, this.y, { lineBreak: false });
        x += doc.widthOfString(run.text);
      }
      this.y += doc.currentLineHeight(true);
    }
  }

  /** Greedy word wrap to the text width, in logical (reading) order. */
  private wrap(text: string): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && this.doc.widthOfString(candidate) > this.width) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    if (line) lines.push(line);
    return lines;
  }
}
