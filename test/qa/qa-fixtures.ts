import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Language } from '../../src/config/config-schema';
import type { Course, QuizQuestion, Step } from '../../src/core/course/content-model';
import { chunksFromCourse } from '../../src/adapters/retrieval/chunking';
import { buildIndex, localEmbeddingChoice } from '../../src/adapters/retrieval/index-store';
import type { HybridRetriever } from '../../src/adapters/retrieval/hybrid-retriever';
import type { Chunk } from '../../src/ports/retrieval';

export function tempDir(prefix = 'govai-qa-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const step = (lang: Language, id: string, title: string, body: string): Step => ({ id, title, body, source: { file: `${lang}/${id.split('-')[0]}/l1.md`, line: 10 } });

const quiz = (lang: Language, id: string, prompt: string, correct: string, explanation: string): QuizQuestion => ({
  id,
  type: 'single',
  prompt,
  options: [
    { id: 'a', text: correct, correct: true },
    { id: 'b', text: 'Something else', correct: false },
  ],
  explanation,
  outcomes: ['m1-o1'],
  source: { file: `${lang}/m1/l1.md`, line: 5 },
});

const TEXT = {
  en: {
    module: 'Data governance',
    lesson: 'Sharing data responsibly',
    lesson2: 'Bias and automation',
    steps: [
      [
        'X-Road in Estonia',
        'Estonia launched X-Road in 2001. X-Road is a data exchange layer that lets public registers share data securely. It supports the once-only principle: citizens give the same information to the state only once.',
      ],
      ['The FAIR principles', 'FAIR data is findable, accessible, interoperable and reusable. The FAIR principles were published in 2016 to make research data easier to reuse.'],
      [
        'Automation bias',
        'Automation bias is the tendency of people to trust a computer output too much. Officials may rely on a risk score even when other evidence contradicts it. Training and meaningful human review reduce automation bias.',
      ],
      [
        'Robodebt',
        'Robodebt was an automated debt-recovery scheme in Australia from 2016 to 2019. It averaged yearly income to raise welfare debts that were unlawful. A Royal Commission reported in 2023.',
      ],
    ],
    quiz: ['Which country built X-Road?', 'Estonia', 'Estonia built X-Road, its data exchange layer, in 2001.'],
  },
  es: {
    module: 'Gobernanza de datos',
    lesson: 'Compartir datos con responsabilidad',
    lesson2: 'Sesgo y automatización',
    steps: [
      ['X-Road en Estonia', 'Estonia puso en marcha X-Road en 2001. X-Road es una capa de intercambio de datos que permite a los registros públicos compartir datos de forma segura.'],
      ['Los principios FAIR', 'Los datos FAIR son localizables, accesibles, interoperables y reutilizables. Los principios FAIR se publicaron en 2016.'],
      [
        'El sesgo de automatización',
        'El sesgo de automatización es la tendencia de las personas a confiar demasiado en el resultado de una computadora. La formación y la revisión humana reducen el sesgo.',
      ],
      ['Robodebt', 'Robodebt fue un sistema automatizado de cobro de deudas en Australia entre 2016 y 2019. Una comisión real informó en 2023.'],
    ],
    quiz: ['¿Qué país creó X-Road?', 'Estonia', 'Estonia creó X-Road, su capa de intercambio de datos, en 2001.'],
  },
} as const;

/** A small two-lesson course in English or Spanish with the same ids. */
export function makeCourse(lang: 'en' | 'es'): Course {
  const t = TEXT[lang];
  const steps = t.steps.map(([title, body], i) => step(lang, `m1-l${i < 2 ? 1 : 2}-s${(i % 2) + 1}`, title, body));
  return {
    lang,
    id: 'course',
    title: 'Course',
    description: 'Test course',
    about: [],
    finalAssessment: [],
    modules: [
      {
        id: 'm1',
        order: 1,
        title: t.module,
        summary: t.module,
        outcomes: [{ id: 'm1-o1', text: t.module }],
        reflection: 'Reflect.',
        quiz: [],
        assessment: [],
        source: { file: `${lang}/m1/module.md`, line: 1 },
        lessons: [
          {
            id: 'm1-l1',
            moduleId: 'm1',
            order: 1,
            title: t.lesson,
            outcomes: ['m1-o1'],
            steps: steps.slice(0, 2),
            quiz: [quiz(lang, 'm1-l1-q1', t.quiz[0], t.quiz[1], t.quiz[2])],
            source: { file: `${lang}/m1/l1.md`, line: 1 },
          },
          { id: 'm1-l2', moduleId: 'm1', order: 2, title: t.lesson2, outcomes: ['m1-o1'], steps: steps.slice(2), quiz: [], source: { file: `${lang}/m1/l2.md`, line: 1 } },
        ],
      },
    ],
  };
}

export function fixtureChunks(): Chunk[] {
  return [...chunksFromCourse(makeCourse('en')), ...chunksFromCourse(makeCourse('es'))];
}

export async function fixtureRetriever(chunks: Chunk[] = fixtureChunks()): Promise<HybridRetriever> {
  return (await buildIndex(path.join(tempDir(), 'index'), chunks, localEmbeddingChoice(256))).retriever;
}
