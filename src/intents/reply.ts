import type { Language } from '../config/config-schema';

/**
 * What the core asks a channel to show. Channel-neutral: renderers turn a Reply into
 * text with numbered choices, an Adaptive Card or Block Kit. The core never builds cards.
 */
export type Intent =
  | 'welcome'
  | 'help'
  | 'show-step'
  | 'ask-question'
  | 'quiz-feedback'
  | 'quiz-summary'
  | 'course-map'
  | 'progress'
  | 'review'
  | 'reflection'
  | 'exercise'
  | 'exercise-feedback'
  | 'answer'
  | 'not-covered'
  | 'small-talk'
  | 'glossary'
  | 'certificate'
  | 'settings'
  | 'notice'
  | 'error';

/** A button, a numbered text choice, or a typed command: the same thing to the core. */
export interface Action {
  /** Visible label, already localized. */
  label: string;
  /** Route name in the command registry, e.g. "next" or "quiz.answer". */
  command: string;
  /** String arguments sent back with the action. */
  args?: Record<string, string>;
  style?: 'primary' | 'default';
}

export interface ReplyItem {
  title: string;
  text?: string;
  /** Short status badge such as "3/4" or "✓". */
  badge?: string;
  action?: Action;
}

export interface ReplyChoices {
  /** single: one button per option; multiple: toggles plus a submit action. */
  selection: 'single' | 'multiple';
  /** Route that receives the answer; args carry the question id and the chosen option ids. */
  command: string;
  args: Record<string, string>;
  /** `letter` names the option in card bodies ("A", "B"… or the language's own letters), so buttons can stay short. */
  options: { id: string; label: string; letter?: string }[];
  /** Options already ticked (a multiple-choice question shown again with its hint keeps the ticks). */
  selected?: string[];
  submitLabel?: string;
  /** Accessible label of the choice input (Adaptive Cards Input.ChoiceSet label). */
  inputLabel?: string;
}

/** Argument under which a text input's typed value comes back with its submit action. */
export const TEXT_INPUT_ARG = 'text';

/**
 * A free-text field with its send button (an expert's answer). Channels with inputs show a
 * box; the typed value comes back as `args.text` of `submit`, empty when nothing was typed.
 * Channels without inputs show neither, so the reply's text must say how to answer by typing.
 */
export interface ReplyTextInput {
  /** Visible and accessible label of the box. */
  label: string;
  placeholder?: string;
  maxLength: number;
  multiline?: boolean;
  submit: Action;
}

export interface ReplyFact {
  label: string;
  value: string;
}

export interface ReplyAttachment {
  name: string;
  contentType: string;
  url: string;
}

export interface Reply {
  intent: Intent;
  lang: Language;
  dir: 'ltr' | 'rtl';
  title?: string;
  /** Body text. Light Markdown only: **bold**, _italic_, "- " lists, blank-line paragraphs. */
  text?: string;
  /** Where the learner is, e.g. "Module 1 · Lesson 2 of 4 · Step 3 of 5". */
  position?: string;
  progress?: { done: number; total: number; label: string };
  facts?: ReplyFact[];
  items?: ReplyItem[];
  choices?: ReplyChoices;
  textInput?: ReplyTextInput;
  actions?: Action[];
  attachments?: ReplyAttachment[];
  /** A short plain-text summary for notifications and screen readers (fallbackText). */
  summary: string;
  /**
   * Set when this reply supersedes an earlier interactive one (an answered quiz card):
   * channels that can update messages replace it; others just send the reply.
   */
  replaces?: string;
  /** Stable key of an interactive reply so a later reply can replace it. */
  key?: string;
  /**
   * This card is a discussion prompt whose replies the bot keeps for the facilitator's summary.
   * Where the core cannot know the thread (a Teams group chat, where a reply quotes the card),
   * the channel follows the posted message's id.
   */
  opensDiscussion?: { moduleId: string };
  /**
   * An addition to what the learner is looking at (an explanation of the step): channels that
   * update the pressed card in place keep that card and send this reply as a new message.
   */
  aside?: boolean;
  /**
   * This reply is the new version of the card whose button was pressed (a live poll card):
   * channels that can update messages replace that message in place, for everyone who sees it
   * (Teams: updateActivity on the action's replyToId; Slack: chat.update on the pressed
   * message); others send it as a new message. Ignored when the turn came from typed text.
   */
  updatesPressedCard?: boolean;
  /**
   * A short note for the person who acted only ("your vote counted"): Teams shows it as the
   * card action's response, Slack as an ephemeral message; other channels send it normally.
   */
  ephemeral?: boolean;
  /**
   * For the learner only (progress, quizzes, reviews, certificates, reminders): asked for in a
   * group chat or channel, it is sent to the learner's personal chat and the group gets a pointer.
   */
  personal?: boolean;
}

/**
 * A reply (or what a renderer built from one) handed to many turns as the same object, such as
 * help, which holds nothing of the learner: frozen throughout, so no turn can change what another
 * is sent, and renderers may keep what they built from a frozen reply.
 */
export function shared<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object' && !Object.isFrozen(inner)) shared(inner);
  return Object.freeze(value);
}
