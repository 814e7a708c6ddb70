import { cleanUserText } from '../../core/text-normalize';

/** A C1 control or a lone surrogate as such, or an escape that may decode to a control character or a surrogate. */
const MAY_NEED_CLEANING = /[\u007f-\u009f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\\[bf]|\\u(?:00[01]|007[fF]|00[89]|[dD][89a-fA-F])/;

/**
 * JSON.parse for request bodies: every string (keys too) is cleaned of control characters and
 * lone surrogates at the edge, before any of it reaches storage, logs or a renderer.
 */
export function parseUntrustedJson(raw: string): unknown {
  // JSON text cannot hold a raw C0 control inside a string, so without these there is nothing to
  // clean, and plain JSON.parse gives the same value, about four times faster.
  if (!MAY_NEED_CLEANING.test(raw)) return JSON.parse(raw);
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
