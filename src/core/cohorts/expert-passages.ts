import type { Language } from '../../config/config-schema';
import type { QaService } from '../qa/answer-service';

/** The course passages the bot would cite for a question, as "Module › Lesson › Step" labels for the expert. */
export async function closestPassages(service: QaService | undefined, question: string, lang: Language): Promise<string[]> {
  if (!service) return [];
  const answer = await service.ask({ question, lang });
  const citations = answer.kind === 'answer' ? answer.citations : answer.kind === 'not-covered' ? answer.closest : [];
  return citations.map((c) => [c.moduleTitle, c.lessonTitle, c.title].filter((part, i, all) => part && all.indexOf(part) === i).join(' › '));
}
