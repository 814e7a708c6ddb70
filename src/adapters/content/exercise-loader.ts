import type { z } from 'zod';
import type { Exercise, SourceRef } from '../../core/course/content-model';
import { assessAnswer } from '../../core/course/exercises';
import { foldForMatching } from '../../core/text-normalize';
import type { ContentFile } from './content-file';
import { exerciseSchema, PROMPT_CHECK_IDS, type ExerciseInput } from './front-matter-schemas';
import type { Problem } from './problems';

type Validate = <S extends z.ZodType>(file: ContentFile, schema: S, problems: Problem[], base: PropertyKey[], value: unknown) => z.output<S> | undefined;

const TASK_WORDS_MAX = 120;
const MATERIAL_WORDS_MAX = 220;

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** The lesson's `exercises:` list (raw front matter), or none. */
export function exercisesOf(data: unknown): unknown[] {
  const list = (data as { exercises?: unknown } | undefined)?.exercises;
  return Array.isArray(list) ? list : [];
}

/**
 * Checks a lesson's exercises one by one (knowledge/README.md, "Exercises") and reports each
 * problem at its line: ids mN-lK-xJ, the six check ids of a `prompt` exercise, checks for
 * `prompt` and `checklist`, `mustRemove` texts that occur in the material for `redaction`.
 */
export function buildExercises(file: ContentFile, rawItems: unknown[], lessonId: string, outcomes: Set<string>, problems: Problem[], validate: Validate): Exercise[] {
  const items = rawItems.map((raw, i) => validate(file, exerciseSchema, problems, ['exercises', i], raw));
  if (items.some((item) => !item)) return [];
  const seenIds = new Set<string>();
  return (items as ExerciseInput[]).map((item, i) => {
    const at = (...p: PropertyKey[]) => file.lineOf(['exercises', i, ...p]);
    const err = (line: number, message: string, severity: Problem['severity'] = 'error') => problems.push({ file: file.file, line, severity, message: `${item.id}: ${message}` });
    const prefix = `${lessonId}-x`;
    if (!item.id.startsWith(prefix) || !/^\d+$/.test(item.id.slice(prefix.length))) err(at('id'), `exercise id must look like ${prefix}1`);
    if (seenIds.has(item.id)) err(at('id'), 'exercise id is used twice in this lesson');
    seenIds.add(item.id);
    const checks = item.checks ?? [];
    const mustRemove = item.mustRemove ?? [];
    if (item.kind === 'prompt') {
      const ids = checks.map((c) => c.id);
      const expected: readonly string[] = PROMPT_CHECK_IDS;
      if (ids.length !== expected.length || expected.some((id) => !ids.includes(id))) {
        err(at('checks'), `a prompt exercise needs exactly the checks ${expected.join(', ')} (found ${ids.join(', ') || 'none'})`);
      }
    }
    if ((item.kind === 'prompt' || item.kind === 'checklist') && !checks.length) err(at('checks'), `a ${item.kind} exercise needs "checks"`);
    if (item.kind !== 'redaction' && mustRemove.length) err(at('mustRemove'), '"mustRemove" is for redaction exercises only');
    if (item.kind === 'redaction') {
      if (!item.material) err(at(), 'a redaction exercise needs "material" (the text to redact)');
      if (!mustRemove.length) err(at(), 'a redaction exercise needs "mustRemove" (the personal data in the material)');
      mustRemove.forEach((r, j) => {
        if (item.material && !item.material.includes(r.text)) err(at('mustRemove', j, 'text'), `"${r.text}" does not occur in the material`);
      });
    }
    const checkIds = new Set<string>();
    checks.forEach((c, j) => {
      if (checkIds.has(c.id)) err(at('checks', j, 'id'), `check id "${c.id}" is used twice`);
      checkIds.add(c.id);
      c.cues.forEach((cue, k) => {
        if (!foldForMatching(cue).trim()) err(at('checks', j, 'cues', k), `cue "${cue}" is empty`);
      });
    });
    if (wordCount(item.task) > TASK_WORDS_MAX) err(at('task'), `the task has ${wordCount(item.task)} words; keep it to ${TASK_WORDS_MAX}`, 'warning');
    if (item.material && wordCount(item.material) > MATERIAL_WORDS_MAX) err(at('material'), `the material has ${wordCount(item.material)} words; keep it to ${MATERIAL_WORDS_MAX}`, 'warning');
    item.outcomes.forEach((o, j) => {
      if (!outcomes.has(o)) err(at('outcomes', j), `unknown learning outcome "${o}"`);
    });
    const source: SourceRef = { file: file.file, line: at() };
    // The model answer must pass its own rubric, or the cues are too narrow (or the answer incomplete).
    const own = assessAnswer(
      { id: item.id, kind: item.kind, title: item.title, task: item.task, checks, mustRemove, modelAnswer: item.modelAnswer, outcomes: item.outcomes, source },
      item.modelAnswer,
    );
    if (own.missing.length) err(at('modelAnswer'), `the model answer does not meet its own checks ${own.missing.map((c) => c.id).join(', ')}: add a cue it uses, or complete the answer`, 'warning');
    if (own.remaining.length) err(at('modelAnswer'), `the model answer still contains ${own.remaining.map((r) => `"${r.text}"`).join(', ')}`);
    return {
      id: item.id,
      kind: item.kind,
      title: item.title,
      task: item.task,
      ...(item.material ? { material: item.material } : {}),
      checks: checks.map((c) => ({ id: c.id, label: c.label, cues: c.cues, tip: c.tip })),
      mustRemove: mustRemove.map((r) => ({ label: r.label, text: r.text })),
      modelAnswer: item.modelAnswer,
      outcomes: item.outcomes,
      source,
    };
  });
}

/**
 * What a translation must share with English (compareWithSource reports any difference as a
 * missing or extra id): each exercise, its kind and its check ids.
 */
export function exerciseIds(exercises: Exercise[] | undefined): [string, SourceRef][] {
  return (exercises ?? []).flatMap((x) => [
    [x.id, x.source] as [string, SourceRef],
    [`${x.id} kind ${x.kind}`, x.source] as [string, SourceRef],
    ...x.checks.map((c) => [`${x.id} check ${c.id}`, x.source] as [string, SourceRef]),
  ]);
}
