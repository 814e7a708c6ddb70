import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '../../config/config-schema';
import { repoRoot } from '../../config/repo-root';
import type { Course } from '../../core/course/content-model';
import { estimateCourse, roundedHours } from '../../core/course/estimate';

/** Written in course.md where the course states how long it takes. */
export const DURATION_PLACEHOLDER = '{{duration}}';

const phrases = new Map<Language, Record<string, string>>();

/** The "about N hours" phrases of locales/<lang>/course.json (`estimate.about_<plural form>`). */
function phrasesOf(lang: Language): Record<string, string> {
  let found = phrases.get(lang);
  if (!found) {
    const read = (l: string) => {
      try {
        const json = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'locales', l, 'course.json'), 'utf8')) as { estimate?: Record<string, string> };
        return json.estimate ?? {};
      } catch {
        return {};
      }
    };
    found = { ...read('en'), ...read(lang) };
    phrases.set(lang, found);
  }
  return found;
}

/** "about 11 hours" in `lang`, with the language's plural form (Arabic has six). */
export function durationPhrase(lang: Language, minutes: number): string {
  const hours = roundedHours(minutes);
  const all = phrasesOf(lang);
  const template = all[`about_${new Intl.PluralRules(lang).select(hours)}`] ?? all.about_other ?? '{{count}} h';
  return template.split('{{count}}').join(String(hours));
}

/**
 * Replaces {{duration}} in course.md's description and "about" steps with the duration computed
 * from this language's content (see estimate.ts), so the course never states a copied figure.
 */
export function fillDurationPlaceholders<C extends Course>(course: C): C {
  const fill = (text: string) => (text.includes(DURATION_PLACEHOLDER) ? text.split(DURATION_PLACEHOLDER).join(durationPhrase(course.lang, estimateCourse(course).total.minutes)) : text);
  return {
    ...course,
    description: fill(course.description),
    about: course.about.map((s) => ({ ...s, title: fill(s.title), body: fill(s.body) })),
  };
}
