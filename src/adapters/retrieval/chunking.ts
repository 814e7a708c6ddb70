import type { Course, QuizQuestion } from '../../core/course/content-model';
import type { Chunk } from '../../ports/retrieval';

/**
 * Chunks follow the course's own structure: every step is one passage (it is written to be one
 * chat message), every quiz question with its correct answer and explanation is another, and
 * each module's summary, introduction and outcomes make one more. The course's "about" steps
 * are passages too ("how do I get a certificate?").
 */
export function chunksFromCourse(course: Course): Chunk[] {
  const lang = course.lang;
  const chunks: Chunk[] = [];
  for (const step of course.about) {
    chunks.push({ id: `${lang}:${step.id}`, lang, kind: 'course', stepId: step.id, title: step.title, text: plainText(step.body), source: step.source.file });
  }
  for (const mod of course.modules) {
    const where = { moduleId: mod.id, moduleTitle: mod.title };
    const intro = [mod.summary, mod.intro ?? '', ...mod.outcomes.map((o) => o.text)].filter(Boolean).join('\n');
    chunks.push({ id: `${lang}:${mod.id}`, lang, kind: 'module', ...where, title: mod.title, text: plainText(intro), source: mod.source.file });
    for (const lesson of mod.lessons) {
      const at = { ...where, lessonId: lesson.id, lessonTitle: lesson.title };
      for (const step of lesson.steps) {
        chunks.push({ id: `${lang}:${step.id}`, lang, kind: 'step', ...at, stepId: step.id, title: step.title, text: plainText(step.body), source: step.source.file });
      }
      for (const q of lesson.quiz) chunks.push(quizChunk(lang, q, at));
    }
    for (const q of mod.quiz) chunks.push(quizChunk(lang, q, where));
  }
  for (const q of course.finalAssessment) {
    const moduleId = q.outcomes[0]?.split('-')[0];
    const mod = course.modules.find((m) => m.id === moduleId);
    chunks.push(quizChunk(lang, q, mod ? { moduleId: mod.id, moduleTitle: mod.title } : {}));
  }
  return chunks;
}

/**
 * A quiz item as a passage: the prompt is its title, the explanation its text, followed (after a
 * blank line) by the correct options of a choice question, one per line: "True" alone would say
 * nothing, so they are searched, but QUIZ_OPTIONS_BREAK keeps them out of quoted answers, where
 * glued-together options read as fragments.
 */
function quizChunk(lang: Course['lang'], q: QuizQuestion, where: Partial<Chunk>): Chunk {
  const correct = q.type === 'truefalse' ? [] : q.options.filter((o) => o.correct).map((o) => plainText(o.text));
  const text = [plainText(q.explanation), correct.join('\n')].filter(Boolean).join(QUIZ_OPTIONS_BREAK);
  return { id: `${lang}:${q.id}`, lang, kind: 'quiz', ...where, title: plainText(q.prompt), text, source: q.source.file };
}

/** Separates a quiz explanation from its options in the passage text. */
export const QUIZ_OPTIONS_BREAK = '\n\n';

/** Light Markdown to plain text: emphasis, links and list markers removed. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\][]+)\]\([^()]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|\W)[*_](\S[^*_]*?)[*_](?=\W|$)/g, '$1$2')
    .replace(/^[ \t]*(?:[-*+]|\d+\.)[ \t]+/gm, '')
    .replace(/^#+\s*/gm, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/[ \t]+/g, ' ')
    .trim();
}
