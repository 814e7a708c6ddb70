import { findPersonalData, redactPersonalData } from './pii-redaction';
import { splitSentences } from './sentences';
import { foldText } from './text-analysis';

/**
 * Reference documents and model output are data, never instructions. Phrases that tell the
 * reader (or a model) to do something with credentials, links, money or its own instructions,
 * in the five course languages; matched as whole words after folding, in any document language,
 * because an injected line need not be in the document's language.
 */
const INSTRUCTION_CUES = [
  // en
  'password',
  'passcode',
  'pin code',
  'login details',
  'your credentials',
  'ignore previous',
  'ignore all previous',
  'ignore the above',
  'ignore your instructions',
  'disregard',
  'system prompt',
  'your instructions',
  'send your',
  'send it to',
  'send them to',
  'email it to',
  'e mail it to',
  'email your',
  'forward this',
  'click here',
  'click the link',
  'call this number',
  'wire money',
  'bank details',
  'you must send',
  'reply with',
  'pretend to be',
  'jailbreak',
  // es
  'contrasena',
  'clave de acceso',
  'credenciales',
  'ignore las instrucciones',
  'ignora las instrucciones',
  'instrucciones anteriores',
  'olvide las instrucciones',
  'prompt del sistema',
  'envie su',
  'envie sus',
  'envia tu',
  'envia tus',
  'enviela a',
  'reenvie',
  'haga clic',
  'haz clic',
  'pulse aqui',
  'llame al',
  'datos bancarios',
  'debe enviar',
  'responda con',
  'finja ser',
  // fr
  'mot de passe',
  'identifiants',
  'ignorez les instructions',
  'ignore les instructions',
  'instructions precedentes',
  'oubliez les instructions',
  'prompt systeme',
  'envoyez votre',
  'envoyez vos',
  'envoie ton',
  'envoyez le a',
  'transferez ce',
  'cliquez ici',
  'cliquez sur le lien',
  'appelez le',
  'coordonnees bancaires',
  'vous devez envoyer',
  'repondez avec',
  'faites semblant',
  // pt
  'senha',
  'palavra passe',
  'credenciais',
  'ignore as instrucoes',
  'ignora as instrucoes',
  'instrucoes anteriores',
  'esqueca as instrucoes',
  'prompt do sistema',
  'envie a sua',
  'envie o seu',
  'envie os seus',
  'envie as suas',
  'envie a para',
  'reencaminhe',
  'clique aqui',
  'clique no link',
  'ligue para',
  'dados bancarios',
  'deve enviar',
  'responda com',
  'finja ser',
  // ar
  'كلمة المرور',
  'كلمة السر',
  'تجاهل التعليمات',
  'تجاهل جميع التعليمات',
  'التعليمات السابقة',
  'موجه النظام',
  'ارسل كلمة',
  'ارسل بياناتك',
  'انقر هنا',
  'اضغط هنا',
  'اتصل بالرقم',
  'بيانات الحساب المصرفي',
  'يجب عليك ارسال',
  'تظاهر بانك',
].map((cue) => ` ${foldedWords(cue)} `);

const CODE_MARKS = ['```', '<script', '</', '$(', 'curl ', 'powershell', 'eval(', 'javascript:'];

export type UntrustedReason = 'instructions' | 'contact' | 'code';

/** Words of folded text separated by single spaces: punctuation and hyphens become spaces. */
function foldedWords(text: string): string {
  return foldText(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function hasLink(text: string): boolean {
  const lower = text.toLowerCase();
  return lower.includes('http://') || lower.includes('https://') || lower.includes('www.');
}

function instructionCueIn(text: string): string | undefined {
  const words = ` ${foldedWords(text)} `;
  return INSTRUCTION_CUES.find((cue) => words.includes(cue));
}

/** Why a sentence of an untrusted document must not be quoted, if it must not. */
export function untrustedReason(sentence: string): UntrustedReason | undefined {
  if (instructionCueIn(sentence)) return 'instructions';
  if (hasLink(sentence) || findPersonalData(sentence).some((span) => span.kind === 'email' || span.kind === 'phone')) return 'contact';
  const lower = sentence.toLowerCase();
  if (CODE_MARKS.some((mark) => lower.includes(mark))) return 'code';
  return undefined;
}

export interface SanitizedText {
  text: string;
  /** Sentences left out, by reason. */
  dropped: Partial<Record<UntrustedReason, number>>;
}

/** An untrusted passage without its instructions, contact details, links and code. */
export function sanitizeUntrustedText(text: string): SanitizedText {
  const dropped: SanitizedText['dropped'] = {};
  const kept: string[] = [];
  for (const sentence of splitSentences(text)) {
    const reason = untrustedReason(sentence);
    if (reason) dropped[reason] = (dropped[reason] ?? 0) + 1;
    else kept.push(sentence);
  }
  return { text: kept.join(' '), dropped };
}

/**
 * What a model wrote, made safe to show: sentences giving the learner instructions the passages
 * do not give (send a password, click, call...) are dropped; links, e-mail addresses and phone
 * numbers that are not in the passages it was given are removed, and other personal data it
 * brings in is redacted. (What the passages themselves contain was already vetted at indexing.)
 */
export function cleanModelOutput(output: string, passages: string[]): string {
  const source = passages.join('\n');
  const sourceWords = ` ${foldedWords(source)} `;
  const inSource = (piece: string) => source.includes(piece);
  const sentences = splitSentences(output).filter((sentence) => {
    const cue = instructionCueIn(sentence);
    return !cue || sourceWords.includes(cue);
  });
  let text = sentences
    .join(' ')
    .split(/(\s+)/)
    .map((token) => (hasLink(token) && !inSource(trimPunctuation(token)) ? '' : token))
    .join('');
  let out = '';
  let at = 0;
  for (const span of findPersonalData(text)) {
    const piece = text.slice(span.start, span.end);
    if (inSource(piece)) continue;
    out += text.slice(at, span.start) + (span.kind === 'email' || span.kind === 'phone' ? '' : redactPersonalData(piece));
    at = span.end;
  }
  text = out + text.slice(at);
  // Removing a token can leave "to ." or doubled spaces behind.
  return text
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ ([.,;:!?])/g, '$1')
    .trim();
}

function trimPunctuation(token: string): string {
  let end = token.length;
  while (end > 0 && '.,;:!?)]}>"\''.includes(token[end - 1]!)) end--;
  let start = 0;
  while (start < end && '([{<"\''.includes(token[start]!)) start++;
  return token.slice(start, end);
}

/** True when `output` repeats any run of `words` consecutive words of `source` (a prompt echoed back). */
export function repeatsText(output: string, source: string, words = 8): boolean {
  const have = ` ${foldedWords(output)} `;
  const tokens = foldedWords(source).split(' ').filter(Boolean);
  for (let i = 0; i + words <= tokens.length; i++) {
    if (have.includes(` ${tokens.slice(i, i + words).join(' ')} `)) return true;
  }
  return false;
}
