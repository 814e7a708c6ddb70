import path from 'node:path';
import { courseStats, formatMinutes } from '../../src/cli/course-stats';
import { loadLanguage } from '../../src/adapters/content/course-loader';
import { ESTIMATE_ASSUMPTIONS, estimateCourse } from '../../src/core/course/estimate';
import { REPO_ROOT } from './harness';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'course-exercises');

describe('estimated learner time (npm run course:stats)', () => {
  it('computes the time from words, questions, exercises and reflections with the stated assumptions', async () => {
    const course = (await loadLanguage(DIR, 'en')).course!;
    const e = estimateCourse(course);
    const m1 = e.modules[0];
    // Two lessons (the fixture's l2 holds three exercises too): 2 + 3 exercises, 2 lesson questions + 1 module question, 1 reflection.
    expect(m1).toMatchObject({ id: 'm1', steps: 6, questions: 3, exercises: 5, reflections: 1 });
    const a = ESTIMATE_ASSUMPTIONS;
    expect(m1.minutes).toBeCloseTo(m1.words / a.wordsPerMinute + (3 * a.secondsPerQuestion) / 60 + 5 * a.minutesPerExercise + a.minutesPerReflection, 6);
    expect(e.total.minutes).toBeCloseTo(e.about.minutes + m1.minutes + e.final.minutes, 6);
  });

  it('prints the assumptions and, per language and module, words, steps, questions, exercises and time', async () => {
    let text = '';
    await courseStats(DIR, (t) => (text += t));
    expect(text).toContain('Assumptions: reading 180 words per minute; 45 s per quiz question');
    expect(text).toContain('10 min per exercise; 15 min per module reflection.');
    const lines = text.split('\n');
    const en = lines.indexOf(lines.find((l) => l.startsWith('en: '))!);
    expect(lines[en]).toMatch(/^en: (\d+ h \d\d|\d+) min \("about 1 hour"\)/);
    expect(lines[en + 1]).toMatch(/^part\s+words\s+steps\s+questions\s+exercises\s+reflections\s+time$/);
    expect(lines[en + 3]).toMatch(/^m1\s+\d+\s+6\s+3\s+5\s+1\s+(\d+ h \d\d|\d+) min$/);
    expect(text).toContain('es: ');
    expect(text).toContain('("alrededor de 1 hora")');
  });

  it('formats minutes as hours and minutes', () => {
    expect(formatMinutes(661.6)).toBe('11 h 02 min');
    expect(formatMinutes(42)).toBe('42 min');
  });
});
