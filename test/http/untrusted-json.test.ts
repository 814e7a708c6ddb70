import { parseUntrustedJson } from '../../src/channels/http/untrusted-json';
import { cleanUserText } from '../../src/core/text-normalize';

/** What parseUntrustedJson must give: plain JSON.parse, then every string and key cleaned (a walk, not the reviver). */
function cleanedReference(raw: string): unknown {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return cleanUserText(value);
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanUserText(k), clean(v)]));
    return value;
  };
  return clean(JSON.parse(raw));
}

describe('parseUntrustedJson', () => {
  it('removes control characters and replaces lone surrogates, written raw or as escapes, in values and keys', () => {
    expect(parseUntrustedJson('{"text":"a\\u0000b\\bc\\fd\\u007fe\\u0085f","k\\u0001ey":"v"}')).toEqual({ text: 'abcdef', key: 'v' });
    expect(parseUntrustedJson('{"text":"x\\ud800y","raw":"p\ud800q","C1":"r\u0090s"}')).toEqual({ text: 'x\ufffdy', raw: 'p\ufffdq', C1: 'rs' });
    expect(parseUntrustedJson('{"text":"tab\\tnew\\nline\\r"}')).toEqual({ text: 'tab\tnew\nline\r' });
  });

  it('keeps emoji, accents, Arabic and escaped quotes and backslashes as typed', () => {
    const typed = { text: '¿Qué es el RGPD? 👍 ما هو "AI" C:\\bin\\u', nested: [{ name: 'Zoë 🇵🇹' }] };
    expect(parseUntrustedJson(JSON.stringify(typed))).toEqual(typed);
  });

  it('gives what cleaning every string gives, for bodies built from characters that need it and characters that do not', () => {
    const pool = ['a', 'é', '\u0000', '\u0008', '\u000c', '\u001f', '\u007f', '\u0085', '\u009f', '\u00a0', '\ud800', '\udc00', '\ud83d\ude00', '\\', '"', '\t', 'u', 'b', 'f', '0', 'D'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let j = next() % 7; j > 0; j--) text += pool[next() % pool.length];
      const raw = JSON.stringify({ [text]: text, list: [text, { inner: text }] });
      // Upper-case hex in escapes is the same JSON and must be recognised too.
      const upper = raw.replace(/\\u([0-9a-f]{4})/g, (_m, hex: string) => `\\u${hex.toUpperCase()}`);
      for (const body of [raw, upper]) expect(parseUntrustedJson(body)).toEqual(cleanedReference(body));
    }
  });
});
