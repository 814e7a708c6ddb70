import type { Language } from '../../config/config-schema';
import { editDistance } from '../text-normalize';
import { analyze, foldText } from './text-analysis';

/**
 * The course glossary (knowledge/<lang>/glossary.yaml): one entry per term and language, with
 * the same id in every language. Learners look terms up ("define automation bias"), and
 * retrieval uses it to translate the words people use ("ban", "cutoff", "chatgpt", a typo) into
 * the words the course uses ("prohibited AI practices", "knowledge cut-off", "large language model").
 */
export interface GlossaryEntry {
  id: string;
  lang: Language;
  term: string;
  definition: string;
  /** Synonyms and everyday words people use for the term. */
  synonyms: string[];
  /** Common misspellings and abbreviations. */
  variants: string[];
  /** Lessons that teach the term. */
  lessons: string[];
}

export interface GlossaryMatch {
  id: string;
  /** Analysed terms of the question that the match covers (they are explained by the entry). */
  covered: string[];
}

interface Surface {
  id: string;
  lang: Language;
  terms: string[];
}

/** Below this many letters a typed term must match exactly: "ia" is not a typo of "ai". */
const FUZZY_MIN_LENGTH = 5;

export class Glossary {
  private readonly byId = new Map<string, Map<Language, GlossaryEntry>>();
  private readonly surfaces: Surface[] = [];
  /** Positions in `surfaces` by language and first term: a question is checked only against phrases that can start in it. */
  private readonly byFirstTerm = new Map<Language, Map<string, number[]>>();
  private readonly lookup = new Map<string, string>();

  constructor(entries: GlossaryEntry[]) {
    for (const e of entries) {
      const langs = this.byId.get(e.id) ?? new Map<Language, GlossaryEntry>();
      langs.set(e.lang, e);
      this.byId.set(e.id, langs);
      for (const surface of [e.term, ...e.synonyms, ...e.variants]) {
        const terms = analyze(surface, e.lang);
        if (terms.length) this.surfaces.push({ id: e.id, lang: e.lang, terms });
        this.lookup.set(plain(surface), e.id);
      }
    }
    // Longer phrases first, so "high-risk AI system" wins over "AI".
    this.surfaces.sort((a, b) => b.terms.length - a.terms.length);
    for (const [i, s] of this.surfaces.entries()) {
      const byTerm = this.byFirstTerm.get(s.lang) ?? this.byFirstTerm.set(s.lang, new Map()).get(s.lang)!;
      const at = byTerm.get(s.terms[0]!);
      if (at) at.push(i);
      else byTerm.set(s.terms[0]!, [i]);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** The entry in `lang`, else in English. */
  entry(id: string, lang: Language): GlossaryEntry | undefined {
    const langs = this.byId.get(id);
    return langs?.get(lang) ?? langs?.get('en');
  }

  /** The term in every other language that has it. */
  equivalents(id: string, except: Language): GlossaryEntry[] {
    return [...(this.byId.get(id)?.values() ?? [])].filter((e) => e.lang !== except);
  }

  /** What "define <text>" means: an exact term, synonym or variant in any language, else the closest spelling. */
  find(text: string): { id?: string; suggestions: string[] } {
    const key = plain(text);
    const exact = this.lookup.get(key);
    if (exact) return { id: exact, suggestions: [] };
    const scored: { id: string; d: number }[] = [];
    if (key.length >= FUZZY_MIN_LENGTH) {
      const max = key.length >= 9 ? 2 : 1;
      for (const [surface, id] of this.lookup) {
        const d = editDistance(key, surface, max);
        if (d <= max) scored.push({ id, d });
      }
    }
    scored.sort((a, b) => a.d - b.d);
    const ids = [...new Set(scored.map((s) => s.id))];
    return ids.length === 1 && scored[0].d === 1 ? { id: ids[0], suggestions: [] } : { suggestions: ids.slice(0, 3) };
  }

  /**
   * Entries whose term, synonym or variant appears in the question (as analysed terms in a row,
   * so word forms match: "bans" finds "ban"), in any of `langs`. Each question term is explained
   * by at most one entry, the longest phrase first.
   */
  matches(question: string, langs: Language[]): GlossaryMatch[] {
    const analysed = new Map<Language, string[]>();
    const candidates: number[] = [];
    for (const lang of new Set(langs)) {
      const byTerm = this.byFirstTerm.get(lang);
      if (!byTerm) continue;
      const q = analyze(question, lang);
      analysed.set(lang, q);
      for (const term of new Set(q)) for (const i of byTerm.get(term) ?? []) candidates.push(i);
    }
    // In the surfaces' own order (longest phrase first), as if every surface were tried.
    candidates.sort((a, b) => a - b);
    const out: GlossaryMatch[] = [];
    const taken = new Set<string>();
    for (const i of candidates) {
      const s = this.surfaces[i]!;
      const at = indexOfRun(analysed.get(s.lang)!, s.terms);
      if (at < 0 || s.terms.every((t) => taken.has(`${s.lang}:${t}`))) continue;
      for (const t of s.terms) taken.add(`${s.lang}:${t}`);
      const existing = out.find((m) => m.id === s.id);
      if (existing) existing.covered.push(...s.terms.filter((t) => !existing.covered.includes(t)));
      else out.push({ id: s.id, covered: [...s.terms] });
    }
    return out;
  }
}

function indexOfRun(haystack: string[], run: string[]): number {
  outer: for (let i = 0; i + run.length <= haystack.length; i++) {
    for (let j = 0; j < run.length; j++) if (haystack[i + j] !== run[j]) continue outer;
    return i;
  }
  return -1;
}

/** Folded, punctuation-free form for exact lookups ("Automation-Bias" = "automation bias"). */
function plain(text: string): string {
  return foldText(text)
    .replace(/[’']/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
