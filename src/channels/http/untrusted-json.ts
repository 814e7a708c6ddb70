import { cleanUserText } from '../../core/text-normalize';

/**
 * JSON.parse for request bodies: every string (keys too) is cleaned of control characters and
 * lone surrogates at the edge, before any of it reaches storage, logs or a renderer.
 */
export function parseUntrustedJson(raw: string): unknown {
  return JSON.parse(raw, function clean(this: Record<string, unknown>, _key: string, value: unknown) {
    if (typeof value === 'string') return cleanUserText(value);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const k of Object.keys(value)) {
        const cleaned = cleanUserText(k);
        if (cleaned !== k) {
          (value as Record<string, unknown>)[cleaned] = (value as Record<string, unknown>)[k];
          delete (value as Record<string, unknown>)[k];
        }
      }
    }
    return value;
  });
}
