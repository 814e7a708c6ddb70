/** A pasted list of e-mails/UPNs (one a line, or a CSV with an e-mail column) to enrol in a cohort. */
export interface EnrolLine {
  /** 1-based line of the pasted list. */
  line: number;
  address: string;
}

export type EnrolProblem = { line: number; text: string; kind: 'not-an-address' | 'unknown-person' | 'too-many' };

export type EnrolParse = { ok: true; addresses: EnrolLine[] } | { ok: false; problems: EnrolProblem[] };

export const MAX_ENROL = 500;
const FORBIDDEN = new Set([...' \t\n\r<>()",;:']);

/** "name@domain.tld" with no spaces or list punctuation, checked with string functions (linear time). */
function isAddress(text: string): boolean {
  const at = text.indexOf('@');
  if (at <= 0 || at !== text.lastIndexOf('@') || [...text].some((c) => FORBIDDEN.has(c))) return false;
  const domain = text.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  return dot > 0 && dot < domain.length - 1;
}

/**
 * Reads the list after the command word: every non-empty line must name at least one e-mail or
 * UPN (in any CSV column); a header line without one is skipped. Any bad line fails the whole
 * list, so nothing is half-imported.
 */
export function parseEnrolList(text: string): EnrolParse {
  const lines = plain(text).split(/\r?\n/);
  const problems: EnrolProblem[] = [];
  const seen = new Set<string>();
  const addresses: EnrolLine[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const fields = line.split(/[,;\t]|\s+/).map((f) =>
      f
        .trim()
        .replace(/^["']|["']$/g, '')
        .replace(/^mailto:/i, '')
        .replace(/^<|>$/g, ''),
    );
    // A line may hold several addresses ("a@x, b@y") or one in a CSV row.
    const found = fields.filter(isAddress);
    if (!found.length) {
      // A CSV header ("Name,Email") is no address and no mistake.
      if (addresses.length === 0 && problems.length === 0 && /mail|upn|correo|courriel|e-?mail|البريد/i.test(line)) return;
      problems.push({ line: i + 1, text: line.slice(0, 60), kind: 'not-an-address' });
      return;
    }
    for (const address of found) {
      const key = address.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      addresses.push({ line: i + 1, address });
    }
  });
  if (addresses.length > MAX_ENROL) problems.push({ line: addresses[MAX_ENROL].line, text: String(addresses.length), kind: 'too-many' });
  return problems.length ? { ok: false, problems } : { ok: true, addresses };
}

/** Teams may send the pasted list as HTML: line breaks become new lines, other tags go. */
function plain(text: string): string {
  return withoutTags(text.replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n'))
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#64;/g, '@')
    .replace(/&amp;/g, '&');
}

/** Removes "<…>" tags by scanning (linear time). */
function withoutTags(text: string): string {
  let out = '';
  for (let from = 0; ; ) {
    const open = text.indexOf('<', from);
    const close = open < 0 ? -1 : text.indexOf('>', open + 1);
    if (close < 0) return out + text.slice(from);
    out += text.slice(from, open);
    from = close + 1;
  }
}
