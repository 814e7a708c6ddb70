import { SUPPORTED_LANGUAGES } from '../../src/config/config-schema';
import { createLocalizer, readLocaleResources, DEFAULT_LOCALES_DIR, type Localizer } from '../../src/i18n/i18n';

/**
 * The localizer remembers what i18next resolved for calls without options: every string must
 * come out exactly as i18next itself gives it (fallbacks, nesting, arrays), cold and warm, and
 * calls with values (interpolation, plurals) must still be resolved each time.
 */
let localizer: Localizer;
const resources = readLocaleResources(DEFAULT_LOCALES_DIR);

/** Every key of every namespace, with leaves (strings) and arrays, as "ns:a.b.c". */
function keysOf(): { keys: string[]; plurals: string[] } {
  const keys = new Set<string>();
  const plurals = new Set<string>();
  const walk = (ns: string, prefix: string, value: unknown) => {
    if (Array.isArray(value) || typeof value !== 'object' || value === null) {
      keys.add(`${ns}:${prefix}`);
      const plural = /^(.*)_(zero|one|two|few|many|other)$/.exec(prefix);
      if (plural) plurals.add(`${ns}:${plural[1]}`);
      return;
    }
    for (const [k, v] of Object.entries(value)) walk(ns, prefix ? `${prefix}.${k}` : k, v);
  };
  for (const lang of SUPPORTED_LANGUAGES) for (const [ns, tree] of Object.entries(resources[lang] ?? {})) walk(ns, '', tree);
  return { keys: [...keys].sort(), plurals: [...plurals].sort() };
}

beforeAll(async () => {
  localizer = await createLocalizer();
});

describe('cached translations', () => {
  const { keys, plurals } = keysOf();

  it('finds the locale keys to compare', () => {
    expect(keys.length).toBeGreaterThan(200);
    expect(plurals.length).toBeGreaterThan(0);
  });

  it.each([...SUPPORTED_LANGUAGES])('gives i18next’s own string for every key in %s, cold and warm', (lang) => {
    const cached = localizer.forLanguage(lang);
    const plain = localizer.i18n.getFixedT(lang);
    const differences: string[] = [];
    for (let pass = 0; pass < 2; pass++) {
      for (const key of keys) {
        if (cached(key) !== plain(key)) differences.push(`${pass}:${key}`);
        const objects = (t: typeof plain) => JSON.stringify(t(key, { returnObjects: true }));
        if (objects(cached) !== objects(plain)) differences.push(`${pass}:${key} (returnObjects)`);
      }
    }
    expect(differences).toEqual([]);
  });

  it.each([...SUPPORTED_LANGUAGES])('still resolves plurals and interpolation on every call in %s', (lang) => {
    const cached = localizer.forLanguage(lang);
    const plain = localizer.i18n.getFixedT(lang);
    for (let pass = 0; pass < 2; pass++) {
      for (const key of plurals) {
        for (const count of [0, 1, 2, 5, 11, 100]) {
          // Numbers only (remembered) and with text values (always resolved anew).
          const numbers = { count, n: count, total: count + 1, step: 2, steps: count + 2 };
          expect(cached(key, numbers)).toBe(plain(key, numbers));
          const mixed = { ...numbers, name: 'Ana', title: 'M1', url: 'https://example.org/x' };
          expect(cached(key, mixed)).toBe(plain(key, mixed));
        }
      }
    }
    const position = { module: 2, lesson: 3, lessons: 4, step: 1, steps: 6 };
    expect(cached('course:position.step', position)).toBe(plain('course:position.step', position));
    expect(cached('course:position.step', { ...position, step: 2 })).toBe(plain('course:position.step', { ...position, step: 2 }));
    expect(cached('course:position.step', { ...position, step: 2 })).not.toBe(cached('course:position.step', position));
    const first = cached('privacy:notice', { url: 'https://a.example/privacy' });
    const second = cached('privacy:notice', { url: 'https://b.example/privacy' });
    expect(first).toContain('https://a.example/privacy');
    expect(second).toContain('https://b.example/privacy');
  });

  it.each([...SUPPORTED_LANGUAGES])('fills text values into every key of %s as i18next does, cold and warm, and lets i18next handle a missing one', (lang) => {
    const cached = localizer.forLanguage(lang);
    const plain = localizer.i18n.getFixedT(lang);
    const differences: string[] = [];
    let filled = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (const key of keys) {
        const template = plain(key, { skipInterpolation: true });
        if (typeof template !== 'string') continue;
        const names = [...template.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1]!.trim());
        if (!names.length) continue;
        filled++;
        const values = Object.fromEntries(names.map((name, i) => [name, i % 2 ? 7 : `«${name} ${pass}»`]));
        if (cached(key, values) !== plain(key, values)) differences.push(`${pass}:${key}`);
        const lacking = Object.fromEntries(names.slice(1).map((name) => [name, 'x']));
        if (cached(key, lacking) !== plain(key, lacking)) differences.push(`${pass}:${key} (missing value)`);
      }
    }
    expect(filled).toBeGreaterThan(50);
    expect(differences).toEqual([]);
  });

  it('hands out copies of arrays, so a caller changing one cannot change the next turn', () => {
    const t = localizer.forLanguage('en');
    const words = t('common:commands.help', { returnObjects: true }) as unknown as string[];
    expect(Array.isArray(words)).toBe(true);
    const original = [...words];
    words.push('changed');
    words.reverse();
    expect(t('common:commands.help', { returnObjects: true })).toEqual(original);
  });

  it('forgets resolved strings when resources change at run time', () => {
    const t = localizer.forLanguage('en');
    const before = t('common:help.title');
    localizer.i18n.addResource('en', 'common', 'help.title', 'Changed title');
    expect(t('common:help.title')).toBe('Changed title');
    localizer.i18n.addResource('en', 'common', 'help.title', before);
    expect(t('common:help.title')).toBe(before);
  });
});
