import fs from 'node:fs';
import path from 'node:path';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import type { BaseMessage } from '@langchain/core/messages';
import type { Language } from '../../config/config-schema';
import { repoRoot } from '../../config/repo-root';
import type { CondenseInput, DiscussionSummaryInput, ExerciseFeedbackInput, GenerateAnswerInput } from '../../ports/llm';

export const DEFAULT_PROMPTS_DIR = path.join(repoRoot(), 'prompts');

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Spanish (español)', fr: 'French (français)', pt: 'Portuguese (português)', ar: 'Arabic (العربية)' };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The prompt templates in prompts/ (system + user pair per task), loaded as LangChain chat
 * prompt templates. Learner text and retrieved text enter only as template values, inside
 * data tags, with any tag-like text in them neutralised so they cannot close the tag and pose
 * as instructions.
 */
export class PromptLibrary {
  private constructor(
    private readonly answerTemplate: ChatPromptTemplate,
    private readonly explainTemplate: ChatPromptTemplate,
    private readonly condenseTemplate: ChatPromptTemplate,
    private readonly feedbackTemplate: ChatPromptTemplate,
    private readonly summaryTemplate: ChatPromptTemplate,
  ) {}

  static load(dir = DEFAULT_PROMPTS_DIR): PromptLibrary {
    const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8').trim();
    const pair = (system: string, user: string) =>
      ChatPromptTemplate.fromMessages([
        ['system', read(`${system}.system.md`)],
        ['human', read(`${user}.user.md`)],
      ]);
    return new PromptLibrary(
      pair('answer', 'answer'),
      pair('answer', 'explain'),
      pair('condense', 'condense'),
      pair('exercise-feedback', 'exercise-feedback'),
      pair('discussion-summary', 'discussion-summary'),
    );
  }

  async answerMessages(input: GenerateAnswerInput): Promise<ChatMessage[]> {
    const passages = input.passages.map((p) => `<passage n="${p.n}" title="${asData(p.title).replace(/"/g, "'")}">\n${asData(p.text)}\n</passage>`).join('\n');
    const template = input.task === 'explain' ? this.explainTemplate : this.answerTemplate;
    return toChat(await template.formatMessages({ language: LANGUAGE_NAMES[input.lang], passages, question: asData(input.question) }));
  }

  /** Feedback on an exercise answer: the rubric's verdict is given, the model only words it. */
  async exerciseFeedbackMessages(input: ExerciseFeedbackInput): Promise<ChatMessage[]> {
    const none = '(none)';
    const lines = (list: string[]) => (list.length ? list.map((l) => `- ${asData(l)}`).join('\n') : none);
    return toChat(
      await this.feedbackTemplate.formatMessages({
        language: LANGUAGE_NAMES[input.lang],
        kind: input.kind,
        title: asData(input.title),
        task: asData(input.task),
        material: input.material ? asData(input.material) : none,
        answer: asData(input.answer),
        met: lines(input.met),
        missing: input.missing.length ? input.missing.map((m) => `- ${asData(m.label)}: ${asData(m.tip)}`).join('\n') : none,
        remaining: lines(input.remaining),
        removed: lines(input.removed),
      }),
    );
  }

  /** A discussion's redacted replies, each in its own numbered data tag. */
  async discussionSummaryMessages(input: DiscussionSummaryInput): Promise<ChatMessage[]> {
    const replies = input.replies.map((r) => `<reply n="${r.n}">\n${asData(r.text)}\n</reply>`).join('\n');
    return toChat(await this.summaryTemplate.formatMessages({ language: LANGUAGE_NAMES[input.lang], replies }));
  }

  async condenseMessages(input: CondenseInput): Promise<ChatMessage[]> {
    const history = input.history.map((h) => `Learner: ${asData(h.question)}\nAssistant: ${asData(h.answer)}`).join('\n');
    return toChat(await this.condenseTemplate.formatMessages({ language: LANGUAGE_NAMES[input.lang], history, question: asData(input.question) }));
  }
}

/**
 * Tag-like text in data cannot open or close the prompt's data sections: every angle bracket
 * becomes a look-alike, which is simpler and stricter than recognising our tag names.
 */
export function asData(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›');
}

function toChat(messages: BaseMessage[]): ChatMessage[] {
  return messages.map((m) => {
    const type = m.type;
    const role = type === 'system' ? 'system' : type === 'ai' ? 'assistant' : 'user';
    return { role, content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content) };
  });
}
