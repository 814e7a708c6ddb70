import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import { SUPPORTED_LANGUAGES, type Language } from '../config/config-schema';
import { repoRoot } from '../config/repo-root';
import { CodedError } from '../errors/coded-error';

export type { Language };
export type Translate = TFunction;

/** Text direction of each supported language (Arabic is right-to-left). */
export function directionOf(lang: Language): 'ltr' | 'rtl' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

/** Maps a channel locale such as "es-MX" or "pt_BR" to a supported language, or undefined. */
export function toSupportedLanguage(locale: string | undefined | null): Language | undefined {
  if (!locale) return undefined;
  const base = locale.trim().toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(base) ? (base as Language) : undefined;
}

/** Reads locales/<lang>/<namespace>.json; every file is one i18next namespace. */
export function readLocaleResources(localesDir: string): Record<string, Record<string, Record<string, unknown>>> {
  const resources: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const lang of SUPPORTED_LANGUAGES) {
    const dir = path.join(localesDir, lang);
    resources[lang] = {};
    if (!fs.existsSync(dir)) continue;
    for (const file of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const ns = path.basename(file, '.json');
      try {
        resources[lang][ns] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      } catch (err) {
        throw new CodedError('locale_invalid', `locales/${lang}/${file}: invalid JSON (${(err as Error).message})`);
      }
    }
  }
  return resources;
}

export interface Localizer {
  readonly i18n: i18n;
  /** A translate function fixed to one language; falls back to English for missing keys. */
  forLanguage(lang: Language): Translate;
  /** Every translation of a key across supported languages (used to match typed commands). */
  allTranslations(key: string): string[];
}

export const DEFAULT_LOCALES_DIR = path.join(repoRoot(), 'locales');

export async function createLocalizer(localesDir = DEFAULT_LOCALES_DIR): Promise<Localizer> {
  const resources = readLocaleResources(localesDir);
  const namespaces = Object.keys(resources.en ?? {});
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...SUPPORTED_LANGUAGES],
    ns: namespaces,
    defaultNS: 'common',
    fallbackNS: namespaces.filter((n) => n !== 'common'),
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  } as Parameters<i18n['init']>[0]);
  const fixed = new Map<Language, Translate>();
  const caches: Map<string, unknown>[] = [];
  // Resources added or removed at run time make every resolved string stale.
  const clearCaches = () => {
    for (const cache of caches) cache.clear();
  };
  instance.store.on('added', clearCaches);
  instance.store.on('removed', clearCaches);
  return {
    i18n: instance,
    forLanguage(lang) {
      let t = fixed.get(lang);
      if (!t) {
        const cache = new Map<string, unknown>();
        caches.push(cache);
        t = cachingTranslate(instance.getFixedT(lang), cache);
        fixed.set(lang, t);
      }
      return t;
    },
    allTranslations(key) {
      const out = new Set<string>();
      for (const lang of SUPPORTED_LANGUAGES) {
        const value = instance.getFixedT(lang)(key, { returnObjects: true }) as unknown;
        for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string' && v !== key) out.add(v);
      }
      return [...out];
    },
  };
}

/** Resolved strings kept per language; past this many keys (dynamic keys gone wild) the cache starts over. */
const TRANSLATE_CACHE_LIMIT = 10_000;

/**
 * A translate function that remembers what i18next resolved for a key called without options
 * (or with `{ returnObjects: true }` alone, or with numbers only: counts, positions): a turn
 * calls t() many times, and each call resolves namespaces, fallbacks, plurals and nesting anew.
 * The resources are fixed after start (a change clears the cache), so the answer for such a call
 * never changes. A call with text values fills the key's remembered template (`fillTemplate`), so
 * no learner's words are kept; any other option (plurals, context, a default value) goes to
 * i18next every time. Objects and arrays are handed out as copies.
 */
export function cachingTranslate(t: TFunction, cache = new Map<string, unknown>()): TFunction {
  const cached = (key: unknown, options?: unknown, ...rest: unknown[]): unknown => {
    const call = t as unknown as (...args: unknown[]) => unknown;
    if (typeof key !== 'string' || rest.length) return call(key, options, ...rest);
    let slot: string;
    if (options === undefined) slot = key;
    else if (isReturnObjectsOnly(options)) slot = `\u0000${key}`;
    else if (isNumbersOnly(options)) slot = `\u0001${key}\u0001${JSON.stringify(options)}`;
    else if (isPlainValues(options)) return fillTemplate(key, options, cache, call) ?? call(key, options);
    else return call(key, options);
    if (cache.has(slot)) return copyOf(cache.get(slot));
    const value = options === undefined ? call(key) : call(key, options);
    if (cache.size >= TRANSLATE_CACHE_LIMIT) cache.clear();
    cache.set(slot, value);
    return copyOf(value);
  };
  return Object.assign(cached, { lng: (t as { lng?: unknown }).lng, ns: (t as { ns?: unknown }).ns, keyPrefix: (t as { keyPrefix?: unknown }).keyPrefix }) as unknown as TFunction;
}

/** Options i18next reads itself (plurals, context, fallbacks…): a call with any of them goes to i18next. */
const I18NEXT_OPTIONS = new Set([
  'count',
  'context',
  'ordinal',
  'defaultValue',
  'lng',
  'lngs',
  'ns',
  'fallbackLng',
  'replace',
  'interpolation',
  'skipInterpolation',
  'postProcess',
  'returnObjects',
  'returnDetails',
  'joinArrays',
  'keySeparator',
  'nsSeparator',
]);

/** Text and number values only, none of them an i18next option: the string is the key's template with the values put in. */
function isPlainValues(options: unknown): options is Record<string, string | number> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return false;
  for (const [name, value] of Object.entries(options)) {
    if (I18NEXT_OPTIONS.has(name) || name.startsWith('defaultValue')) return false;
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) return false;
  }
  return true;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/**
 * A call with text values (a lesson title, a learner's name): the key's template (resolved once,
 * without interpolation) with the values put in, the way i18next does with `escapeValue: false`,
 * so the values themselves are never kept. Undefined when the template is not a plain string or
 * names a value the call lacks: i18next then resolves it (its missing-value rules).
 */
function fillTemplate(key: string, values: Record<string, string | number>, cache: Map<string, unknown>, call: (...args: unknown[]) => unknown): string | undefined {
  const slot = `\u0002${key}`;
  let template = cache.get(slot);
  if (template === undefined) {
    template = call(key, { skipInterpolation: true });
    if (cache.size >= TRANSLATE_CACHE_LIMIT) cache.clear();
    cache.set(slot, template);
  }
  if (typeof template !== 'string') return undefined;
  let missing = false;
  const filled = template.replace(PLACEHOLDER, (_match, name: string) => {
    // A name the call lacks, or a format (`{{n, number}}`), is i18next's to resolve.
    if (!Object.hasOwn(values, name.trim())) missing = true;
    return String(values[name.trim()]);
  });
  return missing ? undefined : filled;
}

/** Values that are all finite numbers (counts, positions): few distinct calls, and never a learner's words or name. */
function isNumbersOnly(options: unknown): boolean {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return false;
  const values = Object.values(options);
  return values.length > 0 && values.length <= 8 && values.every((v) => typeof v === 'number' && Number.isFinite(v));
}

function isReturnObjectsOnly(options: unknown): boolean {
  if (typeof options !== 'object' || options === null) return false;
  const keys = Object.keys(options);
  return keys.length === 1 && keys[0] === 'returnObjects' && (options as { returnObjects: unknown }).returnObjects === true;
}

function copyOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
