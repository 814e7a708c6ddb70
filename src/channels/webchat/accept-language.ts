import type { Language } from '../../config/config-schema';
import { toSupportedLanguage } from '../../i18n/i18n';

/** The first supported language of an Accept-Language header, in the browser's order of preference. */
export function acceptedLanguage(header: string | string[] | undefined): Language | undefined {
  const ranked = String(header ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? '1',
      );
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const lang = toSupportedLanguage(tag);
    if (lang) return lang;
  }
  return undefined;
}
