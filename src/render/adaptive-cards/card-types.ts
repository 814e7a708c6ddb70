/**
 * The subset of Adaptive Card 1.5 elements the renderer produces. Loose on purpose: the
 * public schema (tested) is the authority, these types only keep the builders consistent.
 */
export type CardElement = Record<string, unknown> & { type: string };
export type CardAction = Record<string, unknown> & { type: string; title: string };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  lang: string;
  rtl?: boolean;
  fallbackText: string;
  speak?: string;
  body: CardElement[];
  actions?: CardAction[];
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_SCHEMA_URL = 'http://adaptivecards.io/schemas/adaptive-card.json';

/**
 * execute: Action.Execute (Teams universal actions, answered by an adaptiveCard/action invoke)
 * with an Action.Submit fallback for older clients; submit: Action.Submit only (Web Chat, emulator).
 */
export type CardActionMode = 'execute' | 'submit';
