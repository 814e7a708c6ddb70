/**
 * Removes personal data from text before it leaves the process for a language model:
 * e-mail addresses, phone numbers and ID-like numbers (national ids, passports, IBANs,
 * card numbers). Years, percentages and ordinary counts stay, since answers need them.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
/** Digit runs with separators: + or ( or spaces inside look like phones, the rest like ids. */
const DIGIT_RUN = /(?<![\p{L}\p{N}])\+?\(?\d[\d\s().\/-]{4,}\d(?![\p{L}\p{N}])/gu;
/** Letters and digits mixed, 7+ characters, at least 5 digits: passports, IBANs, tax ids. */
const ALNUM_ID = /(?<![\p{L}\p{N}])(?=[A-Za-z0-9]*\d{2})(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{7,34}(?![\p{L}\p{N}])/gu;

const REDACTED = { email: '[email]', phone: '[phone]', id: '[id number]' } as const;

export function redactPersonalData(text: string): string {
  return text
    .replace(EMAIL, REDACTED.email)
    .replace(DIGIT_RUN, (match) => {
      const digits = match.replace(/\D/g, '').length;
      if (digits < 7) return match;
      // "1948 and 2021", "2.6 billion" and "10 November 2025" are not personal data.
      if (/^\d{4}([\s,.-]+\d{4})*$/.test(match.trim()) && match.trim().split(/[\s,.-]+/).every((y) => /^(1[89]|20)\d\d$/.test(y))) return match;
      return /^[+(]/.test(match) || /\s/.test(match.trim()) ? REDACTED.phone : REDACTED.id;
    })
    .replace(ALNUM_ID, (match) => ((match.match(/\d/g)?.length ?? 0) >= 5 ? REDACTED.id : match));
}
