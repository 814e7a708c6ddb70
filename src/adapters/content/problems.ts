import path from 'node:path';
import { CodedError } from '../../errors/coded-error';

/** One problem found in the course content, located by file (relative to the knowledge folder) and 1-based line. */
export interface Problem {
  file: string;
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

/** `en/m1/l1.md:12: error: message`, with the file shown relative to `displayRoot` when given. */
export function formatProblem(problem: Problem, displayRoot?: string): string {
  const file = displayRoot ? path.join(displayRoot, problem.file) : problem.file;
  return `${file}:${problem.line}: ${problem.severity}: ${problem.message}`;
}

export function errorsOf(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

/** Thrown when the course cannot be served (the English content has errors or is missing). */
export class CourseContentError extends CodedError {
  constructor(
    readonly problems: Problem[],
    displayRoot?: string,
  ) {
    const errors = errorsOf(problems);
    super('course_content_invalid', `Invalid course content (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${errors.map((p) => `  ${formatProblem(p, displayRoot)}`).join('\n')}`);
  }
}
