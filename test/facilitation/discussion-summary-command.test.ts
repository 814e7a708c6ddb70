import { ReplySimilarity } from '../../src/adapters/retrieval/reply-similarity';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { FacilitatorRoles } from '../../src/core/cohorts/facilitator-roles';
import { Coach } from '../../src/core/coach';
import { CommandRegistry } from '../../src/core/command-registry';
import { registerFacilitation } from '../../src/core/facilitation/register-facilitation';
import { DiscussionThreads } from '../../src/core/facilitation/threads/discussion-threads';
import { registerDiscussionSummary } from '../../src/core/facilitation/threads/register-summary';
import type { TurnInput } from '../../src/core/turn';
import type { LlmPort } from '../../src/ports/llm';
import { renderText } from '../../src/render/text-renderer';
import { localizer, realCatalog, silentLogger } from '../course/harness';
import { completion, failure, FakeOpenAiServer, fakeServerLlm } from '../qa/fake-openai-server';
import { THREAD_REPLIES } from './thread-fixtures';

const CHANNEL = '19:summary@thread.tacv2';
const ROOT = '1700000000001';
const T0 = new Date('2026-12-07T10:00:00Z');

/** Replies in three languages: procurement (en, es, fr) and data quality (en, pt, es). */
const MIXED = [
  THREAD_REPLIES[0],
  'La contratación pública es el cuello de botella: los proveedores pasan meses de revisiones antes de un piloto.',
  "Les marchés publics sont trop lents pour un pilote avec un petit fournisseur. Que dit le cours sur les achats d'innovation ?",
  THREAD_REPLIES[3],
  'A qualidade dos dados é o primeiro problema: os dados estão espalhados por sistemas antigos.',
  THREAD_REPLIES[5],
];

async function setup(llm?: LlmPort) {
  const storage = new SqliteStorage(':memory:');
  await storage.open();
  const loc = await localizer();
  const catalog = await realCatalog();
  const registry = new CommandRegistry(loc);
  const threads = new DiscussionThreads(storage, '#private');
  const failures: unknown[] = [];
  registerFacilitation(registry, { catalog, storage, threads });
  registerDiscussionSummary(registry, {
    threads,
    storage,
    catalog,
    roles: new FacilitatorRoles(['fay']),
    similarity: new ReplySimilarity(),
    // The course "answers" questions about procurement only (a stand-in for the Q&A service).
    answer: async (question) =>
      /procurement|achats/i.test(question)
        ? [{ n: 1, chunkId: 'en:m4-l2-s1', moduleTitle: 'Procurement', lessonId: 'm4-l2', lessonTitle: 'Buying AI', title: 'Innovation procurement', kind: 'step', source: 'x.md' }]
        : [],
    model: () => (llm ? { llm, budgetMs: 5000 } : undefined),
    onModelFailure: (err) => failures.push(err),
  });
  const coach = new Coach({ storage, localizer: loc, registry, logger: silentLogger, defaultLanguage: 'en' });
  const inThread = (userId: string, input: Partial<TurnInput>, locale = 'en-US') =>
    coach.handle({ channelId: 'msteams', userId, conversationId: `${CHANNEL};messageid=${ROOT}`, threadId: ROOT, scope: 'channel', locale, now: T0, ...input });
  const reply = (i: number, text: string) => threads.received({ channelId: 'msteams', conversationId: CHANNEL, rootId: ROOT, messageId: `m${i}`, userId: `member-${i}`, text, at: T0 });
  return { inThread, reply, failures, loc, storage };
}

describe('the summary command', () => {
  let server: FakeOpenAiServer;
  let url: string;
  const model = () => fakeServerLlm(url);
  beforeEach(async () => {
    server = new FakeOpenAiServer();
    url = await server.start();
  });
  afterEach(() => server.close());

  it('follows the thread of `discuss 2`, refuses members, and says when too few people replied', async () => {
    const { inThread, reply, loc } = await setup();
    await inThread('fay', { text: 'discuss 2' });
    expect(await reply(1, 'Only one voice so far.')).toBe('stored');
    expect(await reply(2, '#private not for the summary')).toBe('opted-out');
    await reply(3, 'A second person.');
    expect((await inThread('member-1', { text: 'summary' })).replies[0].text).toBe('Only the course facilitators can ask for a discussion summary.');
    const [tooFew] = (await inThread('fay', { text: 'summary' })).replies;
    expect(tooFew).toMatchObject({ personal: true });
    expect(renderText(tooFew, loc.forLanguage('en'))).toContain('Only 2 people have replied so far. A summary needs replies from at least 3 people');
    expect((await inThread('fay', { text: 'summary 9' })).replies[0].text).toMatch(/from 1 to 6/);
    expect((await inThread('fay', { text: 'summary 3' })).replies[0].text).toMatch(/I have not posted a discussion prompt here yet/);
  });

  it('offline, summarises mixed-language replies in the facilitator language with lesson links for answered questions', async () => {
    const { inThread, reply, loc } = await setup();
    await inThread('fay', { text: 'discuss 2' });
    for (let i = 0; i < MIXED.length; i++) await reply(i, MIXED[i]);
    const [summary] = (await inThread('fay', { text: 'resumen 2' }, 'es-ES')).replies;
    const text = renderText(summary, loc.forLanguage('es'));
    expect(text).toContain('Han respondido 6 personas (6 respuestas)');
    expect(text).toContain('Temas principales');
    expect(text).toContain('Elaborado a partir de las propias respuestas');
    expect(summary.items?.find((i) => i.action?.command === 'lesson.open')).toMatchObject({ title: "Que dit le cours sur les achats d'innovation ?", action: { args: { lesson: 'm4-l2' } } });
    expect(text).toContain('Who owns the data?');
    expect(text).not.toContain('ana.silva@gov.example');
  });

  it('with a model, uses its summary only when every quote is a real reply; otherwise, or when it fails, the extractive one', async () => {
    const llm = model();
    const { inThread, reply, failures, loc } = await setup(llm);
    await inThread('fay', { text: 'discuss 2' });
    for (let i = 0; i < MIXED.length; i++) await reply(i, MIXED[i]);
    const good = {
      themes: [
        { name: 'Compras públicas', replies: [1, 2, 3], quotes: ['Procurement of software takes a year.'] },
        { name: 'Calidad de los datos', replies: [4, 5, 6], quotes: ['A qualidade dos dados é o primeiro problema'] },
      ],
      followUp: '¿Qué cambiarían primero?',
    };
    server.script(completion(JSON.stringify(good)));
    const text = renderText((await inThread('fay', { text: 'resumen' }, 'es-ES')).replies[0], loc.forLanguage('es'));
    expect(text).toContain('Compras públicas');
    expect(text).toContain('Redactado por el modelo de lenguaje');
    expect(text).toContain('¿Qué cambiarían primero?');
    // The model saw redacted, numbered replies in data tags, and no one's id.
    const prompt = server.requests[0].body.messages.map((m: { content: string }) => m.content).join('\n');
    expect(prompt).toContain('<reply n="1">');
    expect(prompt).not.toContain('ana.silva@gov.example');
    expect(prompt).not.toMatch(/member-\d/);

    server.script(completion(JSON.stringify({ ...good, themes: [{ name: 'Invented', replies: [1], quotes: ['Everybody loves procurement.'] }] })));
    const invented = renderText((await inThread('fay', { text: 'summary' })).replies[0], loc.forLanguage('en'));
    expect(invented).not.toContain('Invented');
    expect(invented).toContain('Made from the replies themselves');
    server.script(failure(500));
    const failed = renderText((await inThread('fay', { text: 'summary' })).replies[0], loc.forLanguage('en'));
    expect(failed).toContain('Made from the replies themselves');
    expect(failures).toHaveLength(2);
  });
});
