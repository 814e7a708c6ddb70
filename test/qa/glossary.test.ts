import fs from 'node:fs';
import path from 'node:path';
import { loadGlossary } from '../../src/adapters/content/glossary-loader';
import { validateCourse } from '../../src/adapters/content/course-loader';
import { REPO_ROOT, tempDir } from '../support/app-harness';

const KNOWLEDGE = path.join(REPO_ROOT, 'knowledge');
const LANGS = ['en', 'es', 'fr', 'pt', 'ar'] as const;

describe('course glossary', () => {
  it('has the same terms in all five languages, each with a definition, everyday words and variants, and no problems', async () => {
    const { glossary, problems } = await loadGlossary(KNOWLEDGE);
    expect(problems).toEqual([]);
    expect(glossary.size).toBeGreaterThanOrEqual(30);
    for (const lang of LANGS) {
      const entry = glossary.entry('automation-bias', lang)!;
      expect(entry.lang).toBe(lang);
      expect(entry.definition.length).toBeGreaterThan(20);
      expect(entry.synonyms.length + entry.variants.length).toBeGreaterThan(0);
      expect(
        glossary
          .equivalents('automation-bias', lang)
          .map((e) => e.lang)
          .sort(),
      ).toEqual(LANGS.filter((l) => l !== lang).sort());
    }
  });

  it('finds terms by everyday words, word forms, abbreviations and misspellings, in any course language', async () => {
    const { glossary } = await loadGlossary(KNOWLEDGE);
    expect(glossary.matches('Which AI uses does the EU AI Act ban?', ['en']).map((m) => m.id)).toContain('prohibited-practices');
    expect(glossary.matches('what is the knowledge cutoff of chatgpt', ['en']).map((m) => m.id)).toEqual(expect.arrayContaining(['knowledge-cutoff', 'large-language-model']));
    expect(glossary.matches('¿que es la generasion aumentada por recuperasion?', ['es']).map((m) => m.id)).toContain('rag');
    expect(glossary.find('automaton bias').id).toBe('automation-bias');
    expect(glossary.find('RGPD').id).toBe('gdpr');
    expect(glossary.find('sesgo de automatizacion').id).toBe('automation-bias');
    expect(glossary.find('tajine recipe').id).toBeUndefined();
  });

  it('keeps neighbouring concepts apart: a building block, another data role or another technique is no synonym', async () => {
    const { glossary } = await loadGlossary(KNOWLEDGE);
    const ids = (question: string, lang: (typeof LANGS)[number]) => glossary.matches(question, [lang]).map((m) => m.id);
    const distinct: Record<(typeof LANGS)[number], { identity: string; custodian: string; owner: string; anonymisation: string; learning: string }> = {
      en: { identity: 'digital identity', custodian: 'data custodian', owner: 'data owner', anonymisation: 'anonymisation', learning: 'machine learning' },
      fr: { identity: 'identité numérique', custodian: 'dépositaire des données', owner: 'propriétaire des données', anonymisation: 'anonymisation', learning: 'apprentissage automatique' },
      es: { identity: 'identidad digital', custodian: 'custodio de datos', owner: 'propietario de los datos', anonymisation: 'anonimización', learning: 'aprendizaje automático' },
      pt: { identity: 'identidade digital', custodian: 'custodiante de dados', owner: 'proprietário dos dados', anonymisation: 'anonimização', learning: 'aprendizado de máquina' },
      ar: { identity: 'الهوية الرقمية', custodian: 'حافظ البيانات', owner: 'مالك البيانات', anonymisation: 'إخفاء الهوية', learning: 'التعلم الآلي' },
    };
    for (const lang of LANGS) {
      const d = distinct[lang];
      expect(ids(d.identity, lang)).not.toContain('dpi');
      expect([...ids(d.custodian, lang), ...ids(d.owner, lang)]).not.toContain('data-steward');
      expect(ids(d.anonymisation, lang)).not.toContain('pseudonymisation');
      expect(ids(d.learning, lang)).not.toContain('artificial-intelligence');
    }
    // The terms themselves are still found.
    expect(ids('infrastructure publique numérique', 'fr')).toContain('dpi');
    expect(ids('intendant des données', 'fr')).toContain('data-steward');
  });

  it('reports a translation that lacks a term, an unknown lesson and a bad id as file:line errors, through validate:course', async () => {
    const dir = tempDir('govai-glossary-');
    fs.cpSync(KNOWLEDGE, dir, { recursive: true });
    const es = path.join(dir, 'es', 'glossary.yaml');
    fs.writeFileSync(es, fs.readFileSync(es, 'utf8').replace('  - id: automation-bias\n', '  - id: Automation_Bias\n').replace('lessons: ["m2-l1"', 'lessons: ["m9-l9"'));
    const problems = (await validateCourse(dir)).filter((p) => p.file.endsWith('glossary.yaml'));
    const messages = problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^es\/glossary\.yaml:\d+: terms\[\d+\]\.id: must be lower-case words/),
        expect.stringMatching(/^es\/glossary\.yaml:\d+: .*lesson "m9-l9" does not exist/),
        'es/glossary.yaml:1: term "automation-bias" of en/glossary.yaml is missing',
      ]),
    );
    expect(problems.every((p) => p.line > 0)).toBe(true);
  });
});
