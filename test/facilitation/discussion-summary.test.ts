import { ReplySimilarity } from '../../src/adapters/retrieval/reply-similarity';
import { extractiveThemes, groupQuestions, modelThemes, redactedReplies, SummaryRejectedError } from '../../src/core/facilitation/threads/discussion-summary';
import type { LlmPort } from '../../src/ports/llm';
import { THREAD_REPLIES } from './thread-fixtures';

describe('extractive discussion summary', () => {
  const replies = redactedReplies(THREAD_REPLIES);

  it('groups replies into themes named by their distinctive words, with counts and verbatim quotes', () => {
    const { themes, generator } = extractiveThemes(replies, new ReplySimilarity());
    expect(generator).toBe('extractive');
    expect(themes.map((t) => t.count).sort()).toEqual([3, 3]);
    const names = themes.map((t) => t.name).join(' | ');
    expect(names).toMatch(/procurement/);
    expect(names).toMatch(/data/);
    for (const theme of themes) {
      expect(theme.quotes.length).toBeGreaterThanOrEqual(2);
      expect(theme.quotes.length).toBeLessThanOrEqual(3);
      for (const quote of theme.quotes) expect(replies.some((r) => r.includes(quote.replace(/…$/, '')))).toBe(true);
    }
    // Personal data never reaches a quote.
    expect(JSON.stringify(themes)).not.toContain('ana.silva@gov.example');
  });

  it('lists the questions the group asked', () => {
    expect(groupQuestions(replies)).toEqual(['What does the course say about innovation procurement?', 'Who owns the data?']);
  });

  it("keeps a model's summary only when every quote is in a reply", async () => {
    const llm = (answer: object): LlmPort => ({ id: 'fake', condense: async (i) => i.question, answer: async () => '', discussionSummary: async () => `Here: ${JSON.stringify(answer)}` });
    const good = await modelThemes(llm({ themes: [{ name: 'Compras', replies: [1, 2, 3], quotes: ['Procurement is the bottleneck'] }], followUp: '¿Qué cambiarían?' }), replies, 'es');
    expect(good).toEqual({ themes: [{ name: 'Compras', count: 3, quotes: ['Procurement is the bottleneck'] }], followUp: '¿Qué cambiarían?', generator: 'llm' });
    await expect(modelThemes(llm({ themes: [{ name: 'Compras', replies: [1], quotes: ['Procurement is always easy'] }], followUp: 'x' }), replies, 'es')).rejects.toThrow(SummaryRejectedError);
    await expect(modelThemes(llm({ themes: [{ name: 'Compras', replies: [9], quotes: ['Procurement is the bottleneck'] }], followUp: 'x' }), replies, 'es')).rejects.toThrow(
      'a reply that does not exist',
    );
    await expect(modelThemes(llm({ themes: [] }), replies, 'es')).rejects.toThrow(/wrong shape/);
  });
});
