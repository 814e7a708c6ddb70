import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import { SUPPORTED_LANGUAGES, type Language } from '../config/config-schema';
import { repoRoot } from '../config/repo-root';

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
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const ns = path.basename(file, '.json');
      try {
        resources[lang][ns] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      } catch (err) {
        throw new Error(`locales/${lang}/${file}: invalid JSON (${(err as Error).message})`);
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
  return {
    i18n: instance,
    forLanguage(lang) {
      let t = fixed.get(lang);
      if (!t) {
        t = instance.getFixedT(lang);
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
