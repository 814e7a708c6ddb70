import path from 'node:path';
import { loadConfig } from '../config/config';
import { SUPPORTED_LANGUAGES, type Language } from '../config/config-schema';
import { contentLanguages, loadLanguage, validateCourse } from '../adapters/content/course-loader';
import { errorsOf, formatProblem } from '../adapters/content/problems';
import { finalBank } from '../core/course/final-bank';
import { CodedError } from '../errors/coded-error';

/**
 * `npm run validate:course [-- [--lang en,es] [knowledge-dir]]`: checks every language folder
 * under KNOWLEDGE_DIR (or the given folder) and prints each problem as
 * `file:line: severity: message`. Exits 1 when there is any error.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const langAt = args.indexOf('--lang');
  const languages = langAt >= 0 ? parseLanguages(args.splice(langAt, 2)[1]) : undefined;
  const knowledgeDir = args[0] ? path.resolve(args[0]) : loadConfig().paths.knowledge;
  const display = path.relative(process.cwd(), knowledgeDir) || '.';
  const problems = await validateCourse(knowledgeDir, { languages });
  for (const p of problems) process.stdout.write(`${formatProblem(p, display)}\n`);
  const errors = errorsOf(problems).length;
  for (const lang of (await contentLanguages(knowledgeDir)).filter((l) => !languages || languages.includes(l))) {
    const own = problems.filter((p) => p.file.startsWith(`${lang}/`));
    const ownErrors = errorsOf(own).length;
    if (ownErrors) {
      const consequence = lang === 'en' ? 'the bot refuses to start' : 'this language is not served until fixed';
      process.stdout.write(`${lang}: ${ownErrors} error(s), ${own.length - ownErrors} warning(s): ${consequence}\n`);
      continue;
    }
    const { course } = await loadLanguage(knowledgeDir, lang);
    if (!course) continue;
    const lessons = course.modules.flatMap((m) => m.lessons);
    const steps = lessons.reduce((n, l) => n + l.steps.length, 0) + course.about.length;
    const bank = finalBank(course);
    const items = [...lessons.flatMap((l) => l.quiz), ...course.modules.flatMap((m) => m.quiz), ...bank.map((b) => b.question)];
    const scenarios = items.filter((q) => q.scenario).length;
    const scenarioShare = items.length ? Math.round((100 * scenarios) / items.length) : 0;
    process.stdout.write(
      `${lang}: OK, ${course.modules.length} modules, ${lessons.length} lessons, ${steps} steps, ${items.length} questions (${bank.length} in the final-assessment bank), ${scenarioShare}% scenarios (${scenarios}), ${own.length} warning(s)\n`,
    );
  }
  if (errors) {
    process.stdout.write(`FAILED: ${errors} error(s), ${problems.length - errors} warning(s). (Check one language with --lang en.)\n`);
    return 1;
  }
  process.stdout.write(`OK: no errors, ${problems.length} warning(s).\n`);
  return 0;
}

function parseLanguages(value: string | undefined): Language[] {
  const list = (value ?? '')
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  const unknown = list.filter((l) => !(SUPPORTED_LANGUAGES as readonly string[]).includes(l));
  if (!list.length || unknown.length) throw new CodedError('usage', `--lang takes a comma-separated list of ${SUPPORTED_LANGUAGES.join(', ')}`);
  return list as Language[];
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`validate:course failed: ${(err as Error).message}\n`);
    process.exit(2);
  },
);
