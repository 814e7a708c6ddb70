import fs from 'node:fs/promises';
import path from 'node:path';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { Parser } from 'htmlparser2';
import { SUPPORTED_LANGUAGES, type Language } from '../../config/config-schema';
import type { Chunk } from '../../ports/retrieval';
import { openFileCache } from '../content/content-cache';
import { plainText } from './chunking';
import { sanitizeUntrustedText, type UntrustedReason } from '../../core/qa/untrusted-text';
import { CodedError } from '../../errors/coded-error';

/**
 * Extra reference documents for Q&A (REFERENCES_DIR): Markdown, plain text, HTML and PDF.
 * A file's language is its first folder when that is a language code (references/es/...),
 * else English. Documents are split at headings (Markdown, HTML) or blank lines, and the
 * pieces packed into passages of about MAX_WORDS words so each one is citable on its own.
 */
const MAX_WORDS = 150;
const EXTENSIONS = new Set(['.md', '.markdown', '.txt', '.html', '.htm', '.pdf']);

export class ReferencesError extends CodedError {
  constructor(dir: string) {
    super('references-missing', `REFERENCES_DIR ${dir} does not exist or is not a folder`);
  }
}

/** Sentences of a reference document left out of its passages (instructions, contact details, links, code). */
export type FlaggedSentences = (file: string, dropped: Partial<Record<UntrustedReason, number>>) => void;

/**
 * A file that cannot be read (a damaged PDF) is skipped and reported; the others are indexed.
 * Documents are data: sentences that give the reader instructions or carry contact details,
 * links or code are left out of the passages (and reported), so no answer can quote them and
 * no model is shown them.
 */
/** Reference files read ahead of the one being processed. */
const READ_AHEAD = 16;

export async function loadReferenceChunks(dir: string, onSkipped?: (file: string, reason: string) => void, onFlagged?: FlaggedSentences): Promise<Chunk[]> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new ReferencesError(dir);
  const files = await listFiles(dir);
  const chunks: Chunk[] = [];
  // An unchanged file gives the same passages: they are not split and screened again at every start.
  const cache = openFileCache<{ chunks: Chunk[]; dropped: Partial<Record<UntrustedReason, number>> }>(dir, [__dirname, path.join(__dirname, '..', '..', 'core', 'qa')]);
  // Files are read a window ahead of the one being split: read one by one, thousands of them spent
  // most of a start waiting on the disk between reads.
  const reads: Promise<Buffer>[] = [];
  const readAhead = (i: number) => {
    for (let j = reads.length; j < Math.min(files.length, i + READ_AHEAD); j++) reads.push(fs.readFile(path.join(dir, files[j]!)));
  };
  for (const [i, rel] of files.entries()) {
    const ext = path.extname(rel).toLowerCase();
    readAhead(i);
    const raw = await reads[i]!;
    delete reads[i];
    const cached = cache.get(rel, raw);
    if (cached) {
      chunks.push(...cached.chunks);
      if (Object.keys(cached.dropped).length) onFlagged?.(rel, cached.dropped);
      continue;
    }
    const own: Chunk[] = [];
    const first = rel.split(/[\\/]/)[0];
    const lang: Language = (SUPPORTED_LANGUAGES as readonly string[]).includes(first) && rel.includes('/') ? (first as Language) : 'en';
    let sections: Section[];
    try {
      sections =
        ext === '.pdf'
          ? textSections(await pdfText(raw))
          : ext === '.html' || ext === '.htm'
            ? htmlSections(raw.toString('utf8'))
            : ext === '.txt'
              ? textSections(raw.toString('utf8'))
              : markdownSections(raw.toString('utf8'));
    } catch (err) {
      onSkipped?.(rel, (err as Error).message);
      continue;
    }
    const docTitle = path.basename(rel, ext).replace(/[-_]+/g, ' ');
    let n = 0;
    const dropped: Partial<Record<UntrustedReason, number>> = {};
    for (const section of sections) {
      for (const packed of await packParagraphs(section.paragraphs)) {
        const safe = sanitizeUntrustedText(packed);
        for (const [reason, count] of Object.entries(safe.dropped) as [UntrustedReason, number][]) dropped[reason] = (dropped[reason] ?? 0) + count;
        if (!safe.text.trim()) continue;
        n++;
        own.push({ id: `${lang}:ref:${rel}#${n}`, lang, kind: 'reference', title: section.title ? `${docTitle}: ${section.title}` : docTitle, text: safe.text, source: rel });
      }
    }
    cache.set(rel, raw, { chunks: own, dropped });
    chunks.push(...own);
    if (Object.keys(dropped).length) onFlagged?.(rel, dropped);
  }
  cache.save();
  return chunks;
}

interface Section {
  title?: string;
  paragraphs: string[];
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(path.join(dir, prefix), { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(rel);
  }
  return out;
}

function markdownSections(source: string): Section[] {
  const body = source.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
  const sections: Section[] = [{ paragraphs: [] }];
  for (const block of body.split(/\r?\n\s*\r?\n/)) {
    const heading = block.trim().startsWith('#') ? markdownHeading(block.trim().split(/\r?\n/)[0]) : undefined;
    if (heading) {
      sections.push({ title: plainText(heading), paragraphs: [] });
      const rest = block.trim().split(/\r?\n/).slice(1).join('\n');
      if (rest.trim()) sections[sections.length - 1].paragraphs.push(plainText(rest));
    } else if (block.trim()) sections[sections.length - 1].paragraphs.push(plainText(block));
  }
  return sections.filter((s) => s.paragraphs.length);
}

/** "## Title {#id}" → "Title" (1 to 6 marks, then a space); undefined for any other line. */
function markdownHeading(line: string): string | undefined {
  const marks = line.length - line.replace(/^#+/, '').length;
  if (marks < 1 || marks > 6 || !/\s/.test(line.charAt(marks))) return undefined;
  let title = line.slice(marks).trim();
  const anchor = title.lastIndexOf('{#');
  if (anchor >= 0 && title.endsWith('}')) title = title.slice(0, anchor).trim();
  return title || undefined;
}

function textSections(source: string): Section[] {
  return [
    {
      paragraphs: source
        .split(/\r?\n\s*\r?\n/)
        .map((p) => p.replace(/\s+/g, ' ').trim())
        .filter((p) => p && !/^-- \d+ of \d+ --$/.test(p)),
    },
  ];
}

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const BLOCKS = new Set(['p', 'div', 'section', 'article', 'li', 'ul', 'ol', 'br', 'tr', 'table', 'blockquote', 'pre']);

/**
 * HTML to sections at h1–h6; scripts, styles and tags are dropped, entities decoded. A real
 * tokenizer (htmlparser2) rather than regular expressions: it is linear on hostile markup such
 * as thousands of unclosed "<!--" or "<style<".
 */
export function htmlSections(html: string): Section[] {
  const sections: Section[] = [{ paragraphs: [] }];
  let skipping = 0;
  let heading: string[] | undefined;
  let paragraph: string[] = [];
  const flush = () => {
    const text = paragraph.join('').replace(/\s+/g, ' ').trim();
    if (text) sections[sections.length - 1].paragraphs.push(text);
    paragraph = [];
  };
  const parser = new Parser(
    {
      onopentagname(name) {
        if (SKIPPED.has(name)) skipping++;
        else if (HEADINGS.has(name)) {
          flush();
          heading = [];
        } else if (BLOCKS.has(name)) flush();
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipping = Math.max(0, skipping - 1);
        else if (HEADINGS.has(name) && heading) {
          const title = heading.join('').replace(/\s+/g, ' ').trim();
          heading = undefined;
          if (title) sections.push({ title, paragraphs: [] });
        } else if (BLOCKS.has(name)) flush();
      },
      ontext(text) {
        if (skipping) return;
        (heading ?? paragraph).push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return sections.filter((s) => s.paragraphs.length);
}

/** The text a PDF reader extracts from every page. */
export async function pdfText(data: Buffer): Promise<string> {
  const { PDFParse } = await import('pdf-parse');
  const parser = new PDFParse({ data: new Uint8Array(data) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

// Sentence ends are a pattern, not a fixed string, so the splitter is given them as separators of
// their own; the two Unicode separators never survive from the source text (see packParagraphs).
const PARAGRAPH_BREAK = '\u2029';
const SENTENCE_BREAK = '\u2028';
const passageSplitter = new RecursiveCharacterTextSplitter({
  chunkSize: MAX_WORDS,
  chunkOverlap: 0,
  keepSeparator: false,
  separators: [PARAGRAPH_BREAK, SENTENCE_BREAK, ' '],
  lengthFunction: countWords,
});

/**
 * Packs paragraphs into passages of at most about MAX_WORDS words with LangChain's recursive
 * splitter: whole paragraphs where they fit, a long paragraph at its sentences, a sentence
 * longer than a passage at its words.
 */
async function packParagraphs(paragraphs: string[]): Promise<string[]> {
  const marked = paragraphs.map((p) => p.replace(/[\u2028\u2029]/g, ' ').replace(/(?<=[.!?؟])\s+/g, SENTENCE_BREAK)).join(PARAGRAPH_BREAK);
  const passages = await passageSplitter.splitText(marked);
  return passages.map((passage) => passage.replace(/[\u2028\u2029]/g, ' '));
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
