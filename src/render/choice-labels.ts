import type { ReplyChoices } from '../intents/reply';

/**
 * Quiz options on buttons: Teams and Slack do not wrap button text, so a long option would be
 * cut off ("…success and stopping criter…"). Long options are listed in full in the message
 * body, named by their letter, and their buttons carry the letter and the first words only.
 */
export const BUTTON_TEXT_MAX = 30;

type Option = ReplyChoices['options'][number];

/** The option's name: its letter from the core, else its position. */
export function optionName(option: Option, index: number): string {
  return option.letter ?? String(index + 1);
}

/** "A. Article 12" — the full option with its name, as listed in a body. */
export function namedOption(option: Option, index: number): string {
  return `${optionName(option, index)}. ${option.label}`;
}

/** True when some option does not fit a button with its name, so all are listed in the body. */
export function needsOptionList(choices: ReplyChoices): boolean {
  return choices.options.some((o, i) => namedOption(o, i).length > BUTTON_TEXT_MAX);
}

/** The button title: the named option when it fits, else the name and as many whole words as fit. */
export function shortOptionLabel(option: Option, index: number, max = BUTTON_TEXT_MAX): string {
  const full = namedOption(option, index);
  if (full.length <= max) return full;
  let out = `${optionName(option, index)}.`;
  for (const word of option.label.split(/\s+/)) {
    if (out.length + 1 + word.length > max - 1) break;
    out += ` ${word}`;
  }
  return `${out}…`;
}
