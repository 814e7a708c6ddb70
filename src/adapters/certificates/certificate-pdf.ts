import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Translate } from '../../i18n/i18n';
import type { CertificateRecord } from './certificate-store';

export interface PdfOptions {
  verifyUrl: string;
  /** Compress content streams (default true); tests turn it off to read the text. */
  compress?: boolean;
  /** Language of the wording and the date (default: the certificate's language). */
  lang?: string;
}

/**
 * DejaVu Sans covers Latin, Greek, Cyrillic and Arabic, so names and certificates in every
 * course language print correctly (PDF's built-in Helvetica has Latin only).
 */
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = path.join(FONT_DIR, 'DejaVuSans.ttf');
const BOLD = path.join(FONT_DIR, 'DejaVuSans-Bold.ttf');

/** Renders the certificate of completion as an A4 landscape PDF. */
export function renderCertificatePdf(record: CertificateRecord, t: Translate, options: PdfOptions): Promise<Buffer> {
  const vars = { org: record.issuer.name, url: record.issuer.url };
  const date = new Intl.DateTimeFormat(options.lang ?? record.lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(record.issuedAt));
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 56,
    compress: options.compress ?? true,
    info: {
      Title: `${t('course:certificate.document.heading')}: ${record.courseTitle}`,
      Author: record.issuer.name,
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
  const width = doc.page.width - 112;
  const center = { align: 'center' as const, width };
  doc.rect(28, 28, doc.page.width - 56, doc.page.height - 56).lineWidth(2).stroke('#1f4e79');
  doc.moveDown(1.5).font(REGULAR).fontSize(14).fillColor('#333333').text(record.issuer.name, center);
  doc.moveDown(1).font(BOLD).fontSize(32).fillColor('#1f4e79').text(t('course:certificate.document.heading'), center);
  doc.moveDown(1).font(REGULAR).fontSize(14).fillColor('#333333').text(t('course:certificate.document.certifies'), center);
  doc.moveDown(0.5).font(BOLD).fontSize(26).fillColor('#000000');
  centeredLine(doc, record.learnerName, width);
  doc.moveDown(0.5).font(REGULAR).fontSize(14).fillColor('#333333').text(t('course:certificate.document.completed'), center);
  doc.moveDown(0.3).font(BOLD).fontSize(18);
  centeredLine(doc, record.courseTitle, width);
  doc.moveDown(0.3).font(REGULAR).fontSize(14).text(t('course:certificate.document.passed'), center);
  doc.moveDown(1.2).fontSize(12).text(t('course:certificate.document.date', { date }), center);
  doc.text(t('course:certificate.document.issuedBy', vars), center);
  doc.text(t('course:certificate.document.verification', { id: record.id }), center);
  doc.text(t('course:certificate.document.verifyAt', { url: options.verifyUrl }), center);
  doc.moveDown(1).fontSize(9).fillColor('#555555').text(t('course:certificate.document.notOfficial', vars), center);
  doc.end();
  return done;
}

const RTL = /[\u0590-\u08ff]/;

/**
 * One centred line. Right-to-left text (an Arabic name) is drawn as a single run, so the font's
 * shaping lays out its words right to left with their spaces.
 */
function centeredLine(doc: PDFKit.PDFDocument, text: string, width: number): void {
  if (!RTL.test(text) || doc.widthOfString(text) > width) {
    doc.text(text, { align: 'center', width });
    return;
  }
  // No-break spaces keep pdfkit from splitting the line into words, which loses their spaces.
  const run = text.replace(/ /g, '\u00a0');
  const x = doc.page.margins.left + (width - doc.widthOfString(run)) / 2;
  const y = doc.y;
  doc.text(run, x, y, { lineBreak: false });
  doc.text('', doc.page.margins.left, y + doc.currentLineHeight(true));
}
