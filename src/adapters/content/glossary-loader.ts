import fs from 'node:fs/promises';
import path from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { SUPPORTED_LANGUAGES, type Language } from '../../config/config-schema';
import { Glossary, type GlossaryEntry } from '../../core/qa/glossary';
import { cachedContent } from './content-cache';
import type { Problem } from './problems';

/**
 * knowledge/<lang>/glossary.yaml, validated like the course: every problem as file:line, the
 * same ids in every language as in English, lesson references that exist. A language whose
 * glossary has errors is left out (the others still serve); a missing glossary is no error.
 */
export const GLOSSARY_FILE = 'glossary.yaml';
const MAX_DEFINITION_WORDS = 60;

const phrase = z.string().trim().min(1, 'must not be empty').max(120, 'is longer than 120 characters');
const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, e.g. automation-bias'),
    term: phrase,
    definition: z.string().trim().min(1, 'must not be empty'),
    synonyms: z.array(phrase).default([]),
    variants: z.array(phrase).default([]),
    lessons: z.array(z.string().regex(/^m\d+-l\d+$/, 'must be a lesson id such as m2-l1')).default([]),
  })
  .strict();
const fileSchema = z.object({ terms: z.array(z.unknown()).min(1, 'needs at least one term') }).strict();

export interface GlossaryLoad {
  glossary: Glossary;
  problems: Problem[];
}

/**
 * Reads every language's glossary; `lessonIds` (from the English course) checks the lesson
 * references. Without them (the bot's start) the parsed entries come from the content cache:
 * parsing five YAML glossaries was half a second of every start.
 */
export async function loadGlossary(knowledgeDir: string, lessonIds?: ReadonlySet<string>): Promise<GlossaryLoad> {
  const { entries, problems } = lessonIds ? await parseGlossaries(knowledgeDir, lessonIds) : await cachedContent(knowledgeDir, 'glossary', () => parseGlossaries(knowledgeDir));
  return { glossary: new Glossary(entries), problems };
}

async function parseGlossaries(knowledgeDir: string, lessonIds?: ReadonlySet<string>): Promise<{ entries: GlossaryEntry[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const byLang = new Map<Language, { entries: GlossaryEntry[]; lines: Map<string, number>; file: string; valid: boolean }>();
  for (const lang of SUPPORTED_LANGUAGES) {
    const file = `${lang}/${GLOSSARY_FILE}`;
    const source = await fs.readFile(path.join(knowledgeDir, file), 'utf8').catch(() => undefined);
    if (source === undefined) continue;
    const own: Problem[] = [];
    const parsed = parseGlossaryFile(file, lang, source, own, lessonIds);
    problems.push(...own);
    byLang.set(lang, { ...parsed, file, valid: !own.some((p) => p.severity === 'error') });
  }
  const english = byLang.get('en');
  if (english) {
    const ids = new Set(english.entries.map((e) => e.id));
    for (const [lang, load] of byLang) {
      if (lang === 'en') continue;
      const own = new Set(load.entries.map((e) => e.id));
      for (const id of ids) if (!own.has(id)) problems.push({ file: load.file, line: 1, severity: 'error', message: `term "${id}" of en/${GLOSSARY_FILE} is missing` });
      for (const id of own) if (!ids.has(id)) problems.push({ file: load.file, line: load.lines.get(id) ?? 1, severity: 'error', message: `term "${id}" is not in en/${GLOSSARY_FILE}` });
      if ([...ids].some((id) => !own.has(id)) || [...own].some((id) => !ids.has(id))) load.valid = false;
    }
  }
  return { entries: [...byLang.values()].filter((l) => l.valid).flatMap((l) => l.entries), problems };
}

function parseGlossaryFile(file: string, lang: Language, source: string, problems: Problem[], lessonIds?: ReadonlySet<string>): { entries: GlossaryEntry[]; lines: Map<string, number> } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (p: PropertyKey[]) => {
    for (let n = p.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(p.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return 1;
  };
  const error = (line: number, message: string) => problems.push({ file, line, severity: 'error', message });
  for (const e of doc.errors) error(lineCounter.linePos(e.pos[0]).line, `YAML: ${e.message.split('\n')[0]}`);
  const entries: GlossaryEntry[] = [];
  const lines = new Map<string, number>();
  if (doc.errors.length) return { entries, lines };
  const top = fileSchema.safeParse(doc.toJS());
  if (!top.success) {
    for (const issue of top.error.issues) error(lineOf(issue.path), `${issue.path.join('.') || 'file'}: ${issue.message}`);
    return { entries, lines };
  }
  const seen = new Set<string>();
  for (const [i, raw] of top.data.terms.entries()) {
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) error(lineOf(['terms', i, ...issue.path]), `terms[${i}].${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    const e = parsed.data;
    const at = lineOf(['terms', i]);
    if (seen.has(e.id)) {
      error(at, `term id "${e.id}" is used twice`);
      continue;
    }
    seen.add(e.id);
    lines.set(e.id, at);
    const words = e.definition.split(/\s+/).length;
    if (words > MAX_DEFINITION_WORDS) error(lineOf(['terms', i, 'definition']), `${e.id}: the definition has ${words} words; keep it under ${MAX_DEFINITION_WORDS} (one chat message)`);
    e.lessons.forEach((l, j) => {
      if (lessonIds && !lessonIds.has(l)) error(lineOf(['terms', i, 'lessons', j]), `${e.id}: lesson "${l}" does not exist`);
    });
    entries.push({ ...e, lang });
  }
  return { entries, lines };
}
