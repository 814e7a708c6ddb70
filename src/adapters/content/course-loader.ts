import fs from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { SUPPORTED_LANGUAGES, type Language } from '../../config/config-schema';
import type { Course, CourseCatalog, CourseModule, Lesson, QuizQuestion, SourceRef, Step } from '../../core/course/content-model';
import { parseContentFile, type ContentFile } from './content-file';
import { courseFrontMatterSchema, finalFrontMatterSchema, lessonFrontMatterSchema, moduleFrontMatterSchema, quizItemSchema, type QuizItemInput } from './front-matter-schemas';
import { CourseContentError, errorsOf, type Problem } from './problems';
import { loadGlossary } from './glossary-loader';
import { joinSoftWraps } from './soft-wrap';
import { finalBank } from '../../core/course/final-bank';
import { buildExercises, exerciseIds, exercisesOf } from './exercise-loader';
import { fillDurationPlaceholders } from './duration-placeholder';
import { cachedLoads } from './content-cache';
import { CodedError } from '../../errors/coded-error';

export const SOURCE_LANGUAGE: Language = 'en';
const WORDS_WARN = 130;
const WORDS_MAX = 180;
const MIN_FINAL_QUESTIONS = 20;
/** An item's longest option more than this many times the shortest, and this many characters longer, is flagged. */
const OPTION_LENGTH_RATIO = 3;
const OPTION_LENGTH_GAP = 60;
/** Correct single-choice answers at one position more often than this share (over at least SKEW_MIN_ITEMS) are flagged. */
const SKEW_SHARE = 0.4;
const SKEW_MIN_ITEMS = 20;
/** The final's item bank should hold at least this many items, and this many per module. */
const MIN_BANK_ITEMS = 60;
const MIN_BANK_PER_MODULE = 8;

export interface LanguageLoad {
  lang: Language;
  /** Built from every file that parsed; check `problems` before serving it. */
  course?: Course;
  problems: Problem[];
  /** Files (relative to the knowledge folder) that have at least one error. */
  filesWithErrors: Set<string>;
}

interface CatalogWarningSink {
  warn(obj: object, msg: string): void;
}

/** Languages that have a knowledge/<lang>/course.md, English first. */
export async function contentLanguages(knowledgeDir: string): Promise<Language[]> {
  const found: Language[] = [];
  for (const lang of SUPPORTED_LANGUAGES) {
    if (await exists(path.join(knowledgeDir, lang, 'course.md'))) found.push(lang);
  }
  return found;
}

/**
 * Checks every language folder (schema, ids, references, word counts, and that translations
 * have exactly the English ids). Returns every problem; errors make `validate:course` fail.
 */
export async function validateCourse(knowledgeDir: string, options: { languages?: Language[] } = {}): Promise<Problem[]> {
  const loads = await loadAllLanguages(knowledgeDir);
  const english = loads.find((l) => l.lang === SOURCE_LANGUAGE)?.course;
  const glossary = await loadGlossary(knowledgeDir, english && new Set(english.modules.flatMap((m) => m.lessons.map((l) => l.id))));
  const inScope = (file: string) => !options.languages || options.languages.some((lang) => file.startsWith(`${lang}/`));
  return [...loads.filter((l) => !options.languages || options.languages.includes(l.lang)).flatMap((l) => l.problems), ...glossary.problems.filter((p) => inScope(p.file))];
}

/**
 * Loads the course for serving. English must be valid, or this throws a CourseContentError
 * with the full report. A translation with errors is left out (and logged), so that one
 * half-finished language never takes the bot down.
 */
export async function loadCourseCatalog(knowledgeDir: string, logger?: CatalogWarningSink): Promise<CourseCatalog> {
  const loads = await loadAllLanguages(knowledgeDir);
  const english = loads.find((l) => l.lang === SOURCE_LANGUAGE);
  if (!english?.course || errorsOf(english.problems).length) {
    const problems = english?.problems.length ? english.problems : [{ file: `${SOURCE_LANGUAGE}/course.md`, line: 1, severity: 'error' as const, message: 'the English course is missing' }];
    throw new CourseContentError(problems, knowledgeDir);
  }
  const courses = new Map<Language, Course>();
  for (const load of loads) {
    const errors = errorsOf(load.problems);
    if (load.course && !errors.length) courses.set(load.lang, load.course);
    else logger?.warn({ lang: load.lang, errors: errors.length, first: errors.slice(0, 5) }, 'course translation has errors and is not served; run npm run validate:course');
  }
  return new InMemoryCourseCatalog(courses);
}

export class InMemoryCourseCatalog implements CourseCatalog {
  constructor(private readonly courses: Map<Language, Course>) {
    if (!courses.has(SOURCE_LANGUAGE)) throw new CodedError('course_content_invalid', 'a course catalog needs the English course');
  }

  get languages(): Language[] {
    return [...this.courses.keys()];
  }

  get(lang: Language): Course {
    return this.courses.get(lang) ?? this.courses.get(SOURCE_LANGUAGE)!;
  }

  has(lang: Language): boolean {
    return this.courses.has(lang);
  }
}

/** Every language, parsed and cross-checked once per content version (see content-cache.ts). */
export function loadAllLanguages(knowledgeDir: string): Promise<LanguageLoad[]> {
  return cachedLoads(knowledgeDir, () => parseAllLanguages(knowledgeDir));
}

async function parseAllLanguages(knowledgeDir: string): Promise<LanguageLoad[]> {
  const languages = await contentLanguages(knowledgeDir);
  if (!languages.includes(SOURCE_LANGUAGE)) {
    return [{ lang: SOURCE_LANGUAGE, problems: [{ file: `${SOURCE_LANGUAGE}/course.md`, line: 1, severity: 'error', message: `file not found in ${knowledgeDir}` }], filesWithErrors: new Set() }];
  }
  const loads = await Promise.all(languages.map((lang) => loadLanguage(knowledgeDir, lang)));
  const english = loads.find((l) => l.lang === SOURCE_LANGUAGE)!;
  for (const load of loads) {
    if (load.lang !== SOURCE_LANGUAGE && english.course) compareWithSource(english, load, knowledgeDir, await listFiles(knowledgeDir, load.lang));
  }
  return loads;
}

/** Reads and checks one language folder. */
export async function loadLanguage(knowledgeDir: string, lang: Language): Promise<LanguageLoad> {
  const problems: Problem[] = [];
  const reader = new FileReader(knowledgeDir, problems);

  const courseFile = await reader.read(`${lang}/course.md`);
  const courseData = courseFile && validate(courseFile, courseFrontMatterSchema, problems);
  const about = courseFile ? parseSteps(courseFile, 'course', problems) : { intro: '', steps: [] };

  const modules: CourseModule[] = [];
  const moduleFolders = await numberedEntries(path.join(knowledgeDir, lang), /^m(\d+)$/, true);
  for (const dir of moduleFolders) {
    const built = await loadModule(reader, lang, dir.name, problems);
    if (built) modules.push(built);
  }
  if (!moduleFolders.length) problems.push({ file: `${lang}/course.md`, line: 1, severity: 'error', message: 'no module folders (m1, m2, ...) found next to course.md' });
  modules.sort((a, b) => a.order - b.order);
  checkUnique(
    modules.map((m) => ({ id: String(m.order), source: m.source })),
    'module order',
    problems,
  );

  const finalFile = await reader.read(`${lang}/final.md`);
  const finalData = finalFile && validate(finalFile, finalFrontMatterSchema, problems);
  const allOutcomes = new Set(modules.flatMap((m) => m.outcomes.map((o) => o.id)));
  const finalAssessment = finalFile ? buildQuiz(finalFile, quizOf(finalFile.data), 'final', allOutcomes, problems) : [];
  if (finalData && finalFile && finalAssessment.length < MIN_FINAL_QUESTIONS) {
    problems.push({
      file: finalFile.file,
      line: finalFile.lineOf(['quiz']),
      severity: 'error',
      message: `the final assessment needs at least ${MIN_FINAL_QUESTIONS} questions (found ${finalAssessment.length})`,
    });
  }
  if (finalData && finalFile) checkAssessment(lang, modules, finalAssessment, finalFile, problems);
  if (finalData && finalFile) {
    const covered = new Set(finalAssessment.flatMap((q) => q.outcomes.map((o) => o.split('-')[0])));
    for (const m of modules) {
      if (!covered.has(m.id)) problems.push({ file: finalFile.file, line: finalFile.lineOf(['quiz']), severity: 'warning', message: `no final-assessment question covers module ${m.id}` });
    }
  }

  checkUnique(
    [
      ...about.steps,
      ...modules.flatMap((m) => [
        m,
        ...m.outcomes.map((o) => ({ id: o.id, source: m.source })),
        ...m.quiz,
        ...m.assessment,
        ...m.lessons.flatMap((l) => [l, ...l.steps, ...l.quiz, ...(l.exercises ?? [])]),
      ]),
      ...finalAssessment,
    ],
    'id',
    problems,
  );

  const course: Course | undefined = courseData
    ? fillDurationPlaceholders({ lang, id: courseData.id, title: courseData.title, description: courseData.description, about: about.steps, modules, finalAssessment })
    : undefined;
  const filesWithErrors = new Set(errorsOf(problems).map((p) => p.file));
  return { lang, course, problems: sortProblems(problems), filesWithErrors };
}

async function loadModule(reader: FileReader, lang: Language, folder: string, problems: Problem[]): Promise<CourseModule | undefined> {
  const file = await reader.read(`${lang}/${folder}/module.md`);
  if (!file) return undefined;
  const data = validate(file, moduleFrontMatterSchema, problems);
  const rawQuiz = quizOf(file.data);
  if (data && data.id !== folder) problems.push({ file: file.file, line: file.lineOf(['id']), severity: 'error', message: `module id "${data.id}" must match its folder name "${folder}"` });
  const moduleId = folder;
  const outcomeIds = new Set<string>();
  // Even when module.md is invalid, its outcome ids let the lessons be checked too.
  const outcomes = data?.outcomes ?? rawOutcomes(file.data);
  outcomes.forEach((o, i) => {
    if (!isNumberedId(o.id, `${moduleId}-o`))
      problems.push({ file: file.file, line: file.lineOf(['outcomes', i, 'id']), severity: 'error', message: `outcome id "${o.id}" must look like ${moduleId}-o1` });
    outcomeIds.add(o.id);
  });
  const intro = parseSteps(file, moduleId, problems, { stepsAllowed: false }).intro;

  const lessons: Lesson[] = [];
  for (const entry of await numberedEntries(path.join(reader.root, lang, folder), /^l(\d+)\.md$/, false)) {
    const lesson = await loadLesson(reader, `${lang}/${folder}/${entry.name}`, moduleId, entry.number, outcomeIds, problems);
    if (lesson) lessons.push(lesson);
  }
  if (!lessons.length) problems.push({ file: file.file, line: 1, severity: 'error', message: `module ${moduleId} has no lesson files (l1.md, l2.md, ...)` });
  lessons.sort((a, b) => a.order - b.order);
  const quiz = buildQuiz(file, rawQuiz, moduleId, outcomeIds, problems);
  const assessment = buildQuiz(file, listOf(file.data, 'assessment'), moduleId, outcomeIds, problems, 'assessment');
  if (!data) return undefined;

  return {
    id: moduleId,
    order: data.order,
    title: data.title,
    summary: data.summary,
    intro: intro || undefined,
    outcomes: data.outcomes,
    reflection: data.reflection,
    lessons,
    quiz,
    assessment,
    source: { file: file.file, line: 1 },
  };
}

async function loadLesson(reader: FileReader, rel: string, moduleId: string, number: number, outcomeIds: Set<string>, problems: Problem[]): Promise<Lesson | undefined> {
  const file = await reader.read(rel);
  if (!file) return undefined;
  const data = validate(file, lessonFrontMatterSchema, problems);
  const lessonId = `${moduleId}-l${number}`;
  const { steps } = parseSteps(file, lessonId, problems, { stepsAllowed: true });
  const quiz = buildQuiz(file, quizOf(file.data), lessonId, outcomeIds, problems);
  const exercises = buildExercises(file, exercisesOf(file.data), lessonId, outcomeIds, problems, validate);
  if (!data) return undefined;
  const err = (p: readonly PropertyKey[], message: string) => problems.push({ file: file.file, line: file.lineOf(p), severity: 'error', message });
  if (data.id !== lessonId) err(['id'], `lesson id "${data.id}" must be "${lessonId}" (from the folder and file name)`);
  if (data.module !== moduleId) err(['module'], `module "${data.module}" must be "${moduleId}" (the folder this lesson is in)`);
  if (data.order !== number) err(['order'], `order ${data.order} must be ${number} (from the file name l${number}.md)`);
  data.outcomes.forEach((o, i) => {
    if (!outcomeIds.has(o)) err(['outcomes', i], `unknown learning outcome "${o}" (not listed in ${moduleId}/module.md)`);
  });
  if (!steps.length) err([], 'the lesson has no steps: add "## Title {#s1}" headings with text');
  else if (steps.length < 3 || steps.length > 6)
    problems.push({ file: file.file, line: steps[0].source.line, severity: 'warning', message: `a lesson should have 3 to 6 steps (found ${steps.length})` });
  if (quiz.length > 4) problems.push({ file: file.file, line: file.lineOf(['quiz']), severity: 'warning', message: `a lesson quiz should have 2 to 4 questions (found ${quiz.length})` });
  return { id: lessonId, moduleId, order: number, title: data.title, outcomes: data.outcomes, steps, quiz, ...(exercises.length ? { exercises } : {}), source: { file: file.file, line: 1 } };
}

function buildQuiz(file: ContentFile, rawItems: unknown[], owner: string, outcomes: Set<string>, problems: Problem[], key: 'quiz' | 'assessment' = 'quiz'): QuizQuestion[] {
  const items = rawItems.map((raw, i) => validate(file, quizItemSchema, problems, [key, i], raw));
  if (items.some((item) => !item)) return [];
  const idPrefix = `${owner}-${key === 'assessment' ? 'a' : 'q'}`;
  return (items as QuizItemInput[]).map((item, i) => {
    const at = (...p: PropertyKey[]) => file.lineOf([key, i, ...p]);
    const err = (line: number, message: string) => problems.push({ file: file.file, line, severity: 'error', message: `${item.id}: ${message}` });
    if (!isNumberedId(item.id, idPrefix)) err(at('id'), `question id must look like ${idPrefix}1`);
    const seen = new Set<string>();
    item.options.forEach((o, j) => {
      if (seen.has(o.id)) err(at('options', j, 'id'), `option id "${o.id}" is used twice`);
      seen.add(o.id);
    });
    const lengths = item.options.map((o) => o.text.length);
    const longest = Math.max(...lengths);
    const shortest = Math.min(...lengths);
    if (item.type !== 'truefalse' && longest > OPTION_LENGTH_RATIO * shortest && longest - shortest > OPTION_LENGTH_GAP) {
      const j = lengths.indexOf(longest);
      problems.push({
        file: file.file,
        line: at('options', j, 'text'),
        severity: 'warning',
        message: `${item.id}: option "${item.options[j].id}" has ${longest} characters and option "${item.options[lengths.indexOf(shortest)].id}" ${shortest}: options of very different length give the answer away; make them similar`,
      });
    }
    const correct = item.options.filter((o) => o.correct);
    if (item.type === 'single' && correct.length !== 1) err(at('options'), `a single-choice question needs exactly one option with "correct: true" (found ${correct.length})`);
    if (item.type === 'multiple' && correct.length < 1) err(at('options'), 'a multiple-choice question needs at least one option with "correct: true"');
    if (item.type === 'truefalse') {
      const ids = item.options
        .map((o) => o.id)
        .sort()
        .join(',');
      if (ids !== 'false,true') err(at('options'), `a true/false question needs exactly two options with ids "true" and "false" (found ${item.options.map((o) => o.id).join(', ')})`);
      else if (correct.length !== 1) err(at('options'), 'a true/false question needs exactly one option with "correct: true"');
    }
    item.outcomes.forEach((o, j) => {
      if (!outcomes.has(o)) err(at('outcomes', j), `unknown learning outcome "${o}"`);
    });
    return {
      id: item.id,
      type: item.type,
      prompt: item.prompt,
      options: item.options.map((o) => ({ id: o.id, text: o.text, correct: o.correct === true, feedback: o.feedback })),
      explanation: item.explanation,
      hint: item.hint,
      outcomes: item.outcomes,
      ...(item.scenario ? { scenario: true } : {}),
      source: { file: file.file, line: at() },
    };
  });
}

/**
 * Warnings about the assessment as a whole: correct single-choice answers bunched at one position,
 * bank items that repeat a lesson or module quiz question, and a bank too small to draw fresh
 * attempts from.
 */
function checkAssessment(lang: Language, modules: CourseModule[], finalItems: QuizQuestion[], finalFile: ContentFile, problems: Problem[]): void {
  const course: Course = { lang, id: 'course', title: '', description: '', about: [], modules, finalAssessment: finalItems };
  const warn = (source: SourceRef, message: string) => problems.push({ file: source.file, line: source.line, severity: 'warning', message });
  const quizLine = { file: finalFile.file, line: finalFile.lineOf(['quiz']) };

  const bank = finalBank(course);
  const all = [...modules.flatMap((m) => [...m.lessons.flatMap((l) => l.quiz), ...m.quiz]), ...bank.map((b) => b.question)];
  const singles = all.filter((q) => q.type === 'single');
  if (singles.length >= SKEW_MIN_ITEMS) {
    const counts = new Map<number, number>();
    for (const q of singles) {
      const at = q.options.findIndex((o) => o.correct);
      counts.set(at, (counts.get(at) ?? 0) + 1);
    }
    const [position, count] = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (count / singles.length > SKEW_SHARE) {
      const letter = (i: number) => String.fromCharCode(97 + i);
      const spread = [...counts]
        .sort((a, b) => a[0] - b[0])
        .map(([i, n]) => `${letter(i)} ${Math.round((100 * n) / singles.length)}%`)
        .join(', ');
      warn(
        quizLine,
        `${Math.round((100 * count) / singles.length)}% of the ${singles.length} single-choice items in ${lang} have the correct answer at position ${letter(position)} (${spread}): spread correct answers evenly over the positions`,
      );
    }
  }

  const quizPrompts = new Map<string, QuizQuestion>();
  for (const q of modules.flatMap((m) => [...m.lessons.flatMap((l) => l.quiz), ...m.quiz])) quizPrompts.set(normalisedPrompt(q.prompt), q);
  for (const { question } of bank) {
    const copied = quizPrompts.get(normalisedPrompt(question.prompt));
    if (copied)
      warn(
        question.source,
        `${question.id}: the same question as ${copied.id} (${copied.source.file}:${copied.source.line}); a final-assessment item must not repeat a lesson or module quiz question`,
      );
  }

  if (bank.length < MIN_BANK_ITEMS)
    warn(quizLine, `the final assessment's item bank has ${bank.length} items (module.md "assessment:" and final.md); it needs at least ${MIN_BANK_ITEMS} so that a new attempt draws new questions`);
  for (const m of modules) {
    const own = bank.filter((b) => b.moduleId === m.id).length;
    if (own < MIN_BANK_PER_MODULE)
      warn(
        m.assessment[0]?.source ?? m.source,
        `module ${m.id} has ${own} final-assessment items (its "assessment:" list and final.md items on its outcomes); it needs at least ${MIN_BANK_PER_MODULE}`,
      );
  }
}

/** Lower case, letters and digits only, single spaces: "What is X?" and "what is x" match. */
function normalisedPrompt(prompt: string): string {
  return prompt
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** "m1-q3" is `prefix` "m1-q" and a number; no pattern built from the (file-supplied) prefix. */
function isNumberedId(id: string, prefix: string): boolean {
  return id.startsWith(prefix) && /^\d+$/.test(id.slice(prefix.length));
}

/**
 * "## Title {#s1}" → { title, id }; id is undefined when the heading carries none. Plain string
 * scanning: the equivalent regular expression backtracked polynomially on long whitespace runs.
 */
function stepHeading(text: string): { title: string; id?: string } | undefined {
  if (!text.startsWith('##') || !/\s/.test(text.charAt(2))) return undefined;
  const rest = text.slice(2).trim();
  const open = rest.lastIndexOf('{#');
  if (open < 0 || !rest.endsWith('}')) return { title: rest };
  return { title: rest.slice(0, open).trim(), id: rest.slice(open + 2, -1) };
}

/** Splits a body into steps at "## Title {#sN}" headings; text before the first heading is the intro. */
function parseSteps(file: ContentFile, ownerId: string, problems: Problem[], options: { stepsAllowed?: boolean } = {}): { intro: string; steps: Step[] } {
  const stepsAllowed = options.stepsAllowed ?? true;
  const introLines: string[] = [];
  const steps: (Step & { lines: string[] })[] = [];
  const err = (line: number, message: string, severity: Problem['severity'] = 'error') => problems.push({ file: file.file, line, severity, message });
  for (const { text, line } of file.body) {
    const heading = stepHeading(text);
    if (heading) {
      if (!stepsAllowed) {
        err(line, 'this file takes no "##" step headings; put steps in lesson files');
        continue;
      }
      const { title, id: sid } = heading;
      if (sid === undefined) {
        err(line, 'step heading needs an id at the end, like "## Title {#s1}"');
        continue;
      }
      if (!/^s\d+$/.test(sid)) err(line, `step id "{#${sid}}" must look like {#s1}`);
      const earlier = steps.find((s) => s.id === `${ownerId}-${sid}`);
      if (earlier) err(line, `duplicate step id "{#${sid}}" (first used at line ${earlier.source.line})`);
      if (!title.trim()) err(line, 'step heading has no title');
      steps.push({ id: `${ownerId}-${sid}`, title: title.trim(), body: '', source: { file: file.file, line }, lines: [] });
      continue;
    }
    if (steps.length) steps[steps.length - 1].lines.push(text);
    else introLines.push(text);
  }
  const intro = joinSoftWraps(introLines.join('\n')).trim();
  if (stepsAllowed && ownerId !== 'course' && intro) {
    const first = file.body.find((l) => l.text.trim())!;
    err(first.line, 'text before the first step heading is not shown; move it into a step');
  }
  for (const step of steps) {
    step.body = joinSoftWraps(step.lines.join('\n')).trim();
    const words = step.body.split(/\s+/).filter(Boolean).length;
    if (!words) err(step.source.line, `step ${step.id} has no text`);
    else if (words > WORDS_MAX) err(step.source.line, `step ${step.id} has ${words} words; the maximum is ${WORDS_MAX} (one chat message)`);
    else if (words > WORDS_WARN) err(step.source.line, `step ${step.id} has ${words} words; keep a step to about 120`, 'warning');
  }
  return { intro, steps: steps.map(({ lines: _lines, ...step }) => step) };
}

function quizOf(data: unknown): unknown[] {
  return listOf(data, 'quiz');
}

function listOf(data: unknown, key: string): unknown[] {
  const list = (data as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(list) ? list : [];
}

function rawOutcomes(data: unknown): { id: string }[] {
  const list = (data as { outcomes?: unknown } | undefined)?.outcomes;
  return Array.isArray(list) ? list.filter((o): o is { id: string } => typeof o?.id === 'string') : [];
}

/** Validates the front matter (or the part of it at `base`) and reports each issue at its line. */
function validate<S extends z.ZodType>(file: ContentFile, schema: S, problems: Problem[], base: PropertyKey[] = [], value: unknown = file.data): z.output<S> | undefined {
  if (file.data === undefined) return undefined;
  const parsed = schema.safeParse(value ?? {}, { reportInput: true });
  if (parsed.success) return parsed.data;
  for (const raw of parsed.error.issues) {
    const issue = { ...raw, path: [...base, ...raw.path] };
    const where = issue.path.map(String).join('.');
    const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
    const message = missing ? 'is required' : issue.message;
    problems.push({ file: file.file, line: file.lineOf(issue.path), severity: 'error', message: `${where ? `${where}: ` : ''}${message}` });
  }
  return undefined;
}

function checkUnique(entries: { id: string; source: SourceRef }[], what: string, problems: Problem[]): void {
  const first = new Map<string, SourceRef>();
  for (const { id, source } of entries) {
    const earlier = first.get(id);
    if (earlier) problems.push({ file: source.file, line: source.line, severity: 'error', message: `duplicate ${what} "${id}" (first used at ${earlier.file}:${earlier.line})` });
    else first.set(id, source);
  }
}

/** Reports ids that a translation lacks or adds compared with English; files missing entirely are reported once. */
function compareWithSource(source: LanguageLoad, target: LanguageLoad, knowledgeDir: string, targetFiles: Set<string>): void {
  const src = idsOf(source.course!);
  const tgt = target.course ? idsOf(target.course) : new Map<string, SourceRef>();
  const toTarget = (file: string) => `${target.lang}/${file.slice(source.lang.length + 1)}`;
  const reportedFiles = new Set<string>();
  for (const [id, ref] of src) {
    const file = toTarget(ref.file);
    if (tgt.has(id) || target.filesWithErrors.has(file)) continue;
    if (!targetFiles.has(file)) {
      if (!reportedFiles.has(file)) target.problems.push({ file, line: 1, severity: 'error', message: `missing file (the English ${ref.file} exists)` });
      reportedFiles.add(file);
      continue;
    }
    target.problems.push({ file, line: 1, severity: 'error', message: `missing id "${id}" (present in ${ref.file}:${ref.line})` });
  }
  for (const [id, ref] of tgt) {
    // Ids from an English file with errors are unknown, not extra.
    if (source.filesWithErrors.has(`${source.lang}/${ref.file.slice(target.lang.length + 1)}`)) continue;
    if (!src.has(id))
      target.problems.push({ file: ref.file, line: ref.line, severity: 'error', message: `id "${id}" does not exist in the English course (${path.join(path.basename(knowledgeDir), source.lang)})` });
  }
  target.problems.sort(compareProblems);
  for (const p of errorsOf(target.problems)) target.filesWithErrors.add(p.file);
}

function idsOf(course: Course): Map<string, SourceRef> {
  const ids = new Map<string, SourceRef>();
  const addQuiz = (quiz: QuizQuestion[]) => {
    for (const q of quiz) {
      ids.set(q.id, q.source);
      for (const o of q.options) ids.set(`${q.id} option ${o.id}`, q.source);
    }
  };
  for (const s of course.about) ids.set(s.id, s.source);
  for (const m of course.modules) {
    ids.set(m.id, m.source);
    for (const o of m.outcomes) ids.set(o.id, m.source);
    addQuiz(m.quiz);
    addQuiz(m.assessment);
    for (const l of m.lessons) {
      ids.set(l.id, l.source);
      for (const s of l.steps) ids.set(s.id, s.source);
      addQuiz(l.quiz);
      for (const [id, ref] of exerciseIds(l.exercises)) ids.set(id, ref);
    }
  }
  addQuiz(course.finalAssessment);
  return ids;
}

class FileReader {
  constructor(
    readonly root: string,
    private readonly problems: Problem[],
  ) {}

  async read(rel: string): Promise<ContentFile | undefined> {
    let source: string;
    try {
      source = await fs.readFile(path.join(this.root, rel), 'utf8');
    } catch {
      this.problems.push({ file: rel, line: 1, severity: 'error', message: 'file not found' });
      return undefined;
    }
    return parseContentFile(rel, source, this.problems);
  }
}

async function numberedEntries(dir: string, pattern: RegExp, directories: boolean): Promise<{ name: string; number: number }[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => (directories ? e.isDirectory() : e.isFile()) && pattern.test(e.name))
    .map((e) => ({ name: e.name, number: Number(pattern.exec(e.name)![1]) }))
    .sort((a, b) => a.number - b.number);
}

async function listFiles(knowledgeDir: string, lang: Language): Promise<Set<string>> {
  const out = new Set<string>();
  const walk = async (rel: string) => {
    for (const e of await fs.readdir(path.join(knowledgeDir, rel), { withFileTypes: true }).catch(() => [])) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(child);
      else out.add(child);
    }
  };
  await walk(lang);
  return out;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

function compareProblems(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || a.line - b.line;
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort(compareProblems);
}
