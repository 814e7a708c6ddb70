import fs from 'node:fs';
import path from 'node:path';
import { findPersonalData, redactPersonalData, type PersonalDataKind } from '../../src/core/qa/pii-redaction';
import { REPO_ROOT } from '../support/app-harness';

interface CorpusItem {
  lang: 'en' | 'es' | 'fr' | 'pt' | 'ar';
  text: string;
  pii: { kind: PersonalDataKind; value: string }[];
}

const corpus: CorpusItem[] = fs
  .readFileSync(path.join(__dirname, 'redaction-corpus.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as CorpusItem);

/** Words of four letters or more, to see how much of a message survives besides its personal data. */
const words = (text: string) => text.match(/[\p{L}]{4,}/gu) ?? [];

describe('personal data redaction (corpus in five languages)', () => {
  it('has at least 200 varied items: every language, every kind, and messages without personal data', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    for (const lang of ['en', 'es', 'fr', 'pt', 'ar']) expect(corpus.filter((i) => i.lang === lang).length).toBeGreaterThanOrEqual(40);
    const kinds = new Set(corpus.flatMap((i) => i.pii.map((p) => p.kind)));
    expect([...kinds].sort()).toEqual(['address', 'card', 'email', 'iban', 'id', 'name', 'phone']);
    expect(corpus.filter((i) => i.pii.length === 0).length).toBeGreaterThanOrEqual(30);
  });

  it('removes at least 95% of the personal data, overall and of each kind', () => {
    const missed: string[] = [];
    const byKind = new Map<string, { found: number; total: number }>();
    for (const item of corpus) {
      const out = redactPersonalData(item.text);
      for (const pii of item.pii) {
        const tally = byKind.get(pii.kind) ?? { found: 0, total: 0 };
        tally.total++;
        if (out.includes(pii.value)) missed.push(`${item.lang} ${pii.kind} ${pii.value}`);
        else tally.found++;
        byKind.set(pii.kind, tally);
      }
    }
    const total = [...byKind.values()].reduce((n, t) => n + t.total, 0);
    expect((total - missed.length) / total).toBeGreaterThanOrEqual(0.95);
    for (const [kind, tally] of byKind) expect({ kind, recall: tally.found / tally.total >= 0.9 }).toEqual({ kind, recall: true });
  });

  it('leaves messages without personal data unchanged (years, regulation numbers, percentages, commands)', () => {
    const changed = corpus.filter((i) => i.pii.length === 0).filter((i) => redactPersonalData(i.text) !== i.text);
    expect(changed.map((i) => i.text)).toEqual([]);
  });

  it('keeps the rest of each message: at least 90% of the other words survive', () => {
    let kept = 0;
    let total = 0;
    for (const item of corpus.filter((i) => i.pii.length)) {
      const rest = item.pii.reduce((text, p) => text.split(p.value).join(' '), item.text);
      const out = new Set(words(redactPersonalData(item.text)));
      for (const word of words(rest)) {
        total++;
        if (out.has(word)) kept++;
      }
    }
    expect(kept / total).toBeGreaterThanOrEqual(0.9);
  });

  it('uses a placeholder that says what was removed', () => {
    expect(redactPersonalData('Write to ana@example.org')).toBe('Write to [email]');
    expect(redactPersonalData('رقم هاتفي ٠٥٠١٢٣٤٥٦٧')).toBe('رقم هاتفي [id number]');
    expect(redactPersonalData('Je m’appelle Élodie Marchand.')).toBe('Je m’appelle [name].');
    expect(redactPersonalData('Rua Augusta, 100, 1100-053 Lisboa')).toBe('[address]');
  });
});

describe('redaction on the course text itself', () => {
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));
  // The one person named in the course: the fictional "Maria Lopez" of the data-quality quiz (module 3), a personal name by design.
  const EXAMPLE_PERSON = /^Mar[ií]a L[oó]pez$/;
  /** The fictitious client of an assessment item about what to redact: finding it is the point. */
  const REDACTION_ITEM = /Okafor|أوكافور|Mill Lane|chemin du Moulin|Rua do Moinho|شارع الطاحونة/;
  /** Exercise material (a case note to redact, a notice to rewrite) is fictitious personal data by design. */
  const withoutExercises = (text: string) => text.replace(/^exercises:\n(?:[ \t].*\n|\n)*/m, '');

  it('redacts no course term in any language (every lesson, quiz and module text under knowledge/)', () => {
    const knowledge = path.join(REPO_ROOT, 'knowledge');
    const found: string[] = [];
    let checked = 0;
    for (const lang of ['en', 'es', 'fr', 'pt', 'ar']) {
      for (const file of files(path.join(knowledge, lang))) {
        const text = withoutExercises(fs.readFileSync(file, 'utf8'));
        checked += text.length;
        for (const span of findPersonalData(text)) {
          const value = text.slice(span.start, span.end);
          if (!(span.kind === 'name' && EXAMPLE_PERSON.test(value)) && !REDACTION_ITEM.test(value)) found.push(`${path.relative(knowledge, file)}: ${span.kind} "${value}"`);
        }
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(found).toEqual([]);
  });
});
