import type { Course } from '../course/content-model';

/** Calendar dates (YYYY-MM-DD) for cohort plans: a plan is about days in the cohort's time zone, not instants. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-12-07" → the same string when it is a real date, else undefined. */
export function parseCalendarDate(text: string): string | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text.trim() ? text.trim() : undefined;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today's date in `timeZone`. */
export function localDate(now: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The default pacing: one module a week from the start date. */
export function weeklyPlan(course: Course, startDate: string): Record<string, string> {
  return Object.fromEntries(course.modules.map((m, i) => [m.id, addDays(startDate, 7 * i)]));
}

/** By default the course is due one week after the last module opens. */
export function defaultDueDate(course: Course, startDate: string): string {
  return addDays(startDate, 7 * course.modules.length);
}

/**
 * Modules a member should have completed by `today`: every module whose successor has opened,
 * and all of them once the due date has passed.
 */
export function modulesExpectedDone(course: Course, plan: Record<string, string>, dueDate: string, today: string): string[] {
  if (today > dueDate) return course.modules.map((m) => m.id);
  return course.modules
    .filter((_m, i) => {
      const next = course.modules[i + 1];
      return next !== undefined && (plan[next.id] ?? '9999-12-31') <= today;
    })
    .map((m) => m.id);
}
