import path from 'node:path';
import { loadConfig } from '../config/config';
import { contentLanguages, loadLanguage } from '../adapters/content/course-loader';
import { durationPhrase } from '../adapters/content/duration-placeholder';
import { errorsOf } from '../adapters/content/problems';
import { ESTIMATE_ASSUMPTIONS, estimateCourse, type TimeEstimate } from '../core/course/estimate';

/**
 * `npm run course:stats [-- knowledge-dir]`: per language and module, the words of lesson text,
 * steps, questions and exercises, and the estimated learner time computed from them (the same
 * figure course.md states through {{duration}} and the certificate prints), with its assumptions.
 */
export async function courseStats(knowledgeDir: string, write: (text: string) => void = (text) => process.stdout.write(text)): Promise<number> {
  const a = ESTIMATE_ASSUMPTIONS;
  const out = (line: string) => write(`${line}\n`);
  out(
    `Assumptions: reading ${a.wordsPerMinute} words per minute; ${a.secondsPerQuestion} s per quiz question (lesson and module quizzes, one attempt at the final); ${a.minutesPerExercise} min per exercise; ${a.minutesPerReflection} min per module reflection.`,
  );
  const columns = (label: string, e: TimeEstimate) =>
    `${label.padEnd(10)} ${String(e.words).padStart(7)} ${String(e.steps).padStart(6)} ${String(e.questions).padStart(9)} ${String(e.exercises).padStart(9)} ${String(e.reflections).padStart(11)} ${formatMinutes(e.minutes).padStart(9)}`;
  let failed = 0;
  for (const lang of await contentLanguages(knowledgeDir)) {
    const { course, problems } = await loadLanguage(knowledgeDir, lang);
    const errors = errorsOf(problems).length;
    if (!course) {
      out(`\n${lang}: not loadable (${errors} error(s); run npm run validate:course)`);
      failed++;
      continue;
    }
    const e = estimateCourse(course);
    out(`\n${lang}: ${formatMinutes(e.total.minutes)} ("${durationPhrase(lang, e.total.minutes)}")${errors ? ` — ${errors} content error(s), figures may be incomplete` : ''}`);
    out(`${'part'.padEnd(10)} ${'words'.padStart(7)} ${'steps'.padStart(6)} ${'questions'.padStart(9)} ${'exercises'.padStart(9)} ${'reflections'.padStart(11)} ${'time'.padStart(9)}`);
    out(columns('about', e.about));
    for (const m of e.modules) out(columns(m.id, m));
    out(columns('final', e.final));
    out(columns('total', e.total));
  }
  return failed ? 1 : 0;
}

/** 125.4 → "2 h 05 min". */
export function formatMinutes(minutes: number): string {
  const rounded = Math.round(minutes);
  const h = Math.floor(rounded / 60);
  const m = rounded % 60;
  return h ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

if (require.main === module) {
  const arg = process.argv[2];
  courseStats(arg ? path.resolve(arg) : loadConfig().paths.knowledge).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`course:stats failed: ${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
