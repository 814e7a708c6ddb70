import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import type { Language } from '../../src/config/config-schema';
import type { Intent, Reply } from '../../src/intents/reply';
import { directionOf } from '../../src/i18n/i18n';

/** ../shared beside the repository (same as test/support/app-harness.ts, without loading the app). */
export const SHARED_DIR = path.resolve(__dirname, '..', '..', '..', 'shared');

/** Ajv (draft-06) compiled against the public Adaptive Cards 1.5 schema in ../shared. */
export function adaptiveCardValidator(): ValidateFunction<Record<string, any>> {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  addFormats(ajv);
  const { id, ...schema } = JSON.parse(fs.readFileSync(path.join(SHARED_DIR, 'schemas', 'adaptive-card-1.5.schema.json'), 'utf8'));
  // The file names its id with the pre-draft-06 keyword "id", which Ajv 8 rejects; same id, current keyword.
  return ajv.compile<Record<string, any>>({ $id: id, ...schema });
}

export const ALL_INTENTS: Intent[] = [
  'welcome',
  'help',
  'show-step',
  'ask-question',
  'quiz-feedback',
  'quiz-summary',
  'course-map',
  'progress',
  'review',
  'reflection',
  'answer',
  'not-covered',
  'certificate',
  'settings',
  'notice',
  'error',
  'exercise',
  'exercise-feedback',
];

/**
 * A reply of the given intent using every field that intent uses in practice (and, for
 * "ask-question", both single and multiple choice variants).
 */
export function sampleReplies(intent: Intent, lang: Language): Reply[] {
  const base = { intent, lang, dir: directionOf(lang), summary: `${intent} summary` } as const;
  const next = { label: 'Next', command: 'next', style: 'primary' as const };
  switch (intent) {
    case 'ask-question':
      return [
        {
          ...base,
          title: 'Question 1 of 3',
          position: 'Module 1 · Lesson 2',
          text: 'Which statement about **public sector AI** is true?',
          choices: {
            selection: 'single',
            command: 'quiz.answer',
            args: { question: 'm1-l2-q1' },
            options: [
              { id: 'a', label: 'It needs no oversight' },
              { id: 'b', label: 'It must be explainable to citizens' },
            ],
          },
          key: 'quiz:m1-l2-q1',
        },
        {
          ...base,
          title: 'Question 2 of 3',
          text: 'Select _all_ that apply:',
          choices: {
            selection: 'multiple',
            command: 'quiz.answer',
            args: { question: 'm1-l2-q2' },
            options: [
              { id: 'a', label: 'Data quality' },
              { id: 'b', label: 'Procurement' },
              { id: 'c', label: 'Luck' },
            ],
            submitLabel: 'Check my answer',
            inputLabel: 'Your answers',
          },
          key: 'quiz:m1-l2-q2',
        },
      ];
    case 'course-map':
      return [
        {
          ...base,
          title: 'Course map',
          items: [1, 2, 3].map((n) => ({
            title: `Module ${n}`,
            text: 'About data',
            badge: n === 1 ? '✓' : `${n}/4`,
            action: { label: `Open module ${n}`, command: 'module', args: { module: `m${n}` } },
          })),
        },
      ];
    case 'progress':
      return [
        {
          ...base,
          title: 'My progress',
          progress: { done: 3, total: 12, label: 'Lessons' },
          facts: [
            { label: 'Quiz score', value: '80%' },
            { label: 'Streak', value: '2 days' },
          ],
          actions: [next],
        },
      ];
    case 'answer':
      return [
        {
          ...base,
          title: 'Answer',
          text: 'Short answer.\n\n- point one\n- point two\n\nSources:',
          items: [{ title: '[1] Module 2, Lesson 1', text: 'knowledge/en/m2.md' }],
          actions: [{ label: 'Ask another', command: 'ask' }],
        },
      ];
    case 'certificate':
      return [
        {
          ...base,
          title: 'Certificate of completion',
          text: 'Well done!',
          facts: [{ label: 'Name', value: 'Ana' }],
          attachments: [{ name: 'certificate.pdf', contentType: 'application/pdf', url: 'https://example.org/certificates/abc.pdf' }],
        },
      ];
    case 'quiz-feedback':
      return [{ ...base, title: 'Correct', text: 'Explanation _here_.', replaces: 'quiz:m1-l2-q1', actions: [next] }];
    case 'quiz-summary':
      return [{ ...base, title: 'Quiz done', progress: { done: 0, total: 3, label: 'Correct answers' }, actions: [next, { label: 'Retry', command: 'quiz.retry' }] }];
    case 'help':
      return [
        {
          ...base,
          title: 'What I can do',
          text: 'Type a command.',
          items: [{ title: 'help', text: 'show this list' }],
          actions: Array.from({ length: 8 }, (_, i) => ({ label: `Action ${i + 1}`, command: 'help' })),
        },
      ];
    case 'error':
      return [{ ...base, title: 'Something went wrong', text: 'Reference abc', actions: [{ label: 'Help', command: 'help' }] }];
    case 'notice':
      return [{ ...base, text: 'Just a line of text.' }];
    default:
      return [
        {
          ...base,
          title: `${intent} title`,
          position: 'Module 1 · Lesson 1 · Step 2 of 5',
          text: 'Paragraph one with **bold**.\n\n* a star bullet\n* another',
          actions: [next, { label: 'Back', command: 'back' }],
        },
      ];
  }
}

/** Every action object in a card (body action sets, item buttons, card actions, fallbacks excluded). */
export function cardActions(card: any): any[] {
  const out: any[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (typeof node.type === 'string' && node.type.startsWith('Action.')) {
      out.push(node);
      return;
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(card.body);
  walk(card.actions ?? []);
  return out;
}

export interface RecordedCall {
  method: string;
  url: string;
  body: any;
}

/**
 * A local stand-in for the Bot Connector service (serviceUrl points at it). Each request is
 * recorded; `respond` decides the status (default 200) and headers.
 */
export async function startFakeConnector(respond: (call: RecordedCall, index: number) => { status: number; headers?: Record<string, string>; body?: unknown } = () => ({ status: 200 })) {
  const calls: RecordedCall[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const call = { method: req.method ?? '', url: req.url ?? '', body: raw ? JSON.parse(raw) : undefined };
      calls.push(call);
      const answer = respond(call, calls.length - 1);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
      res.end(JSON.stringify(answer.body ?? (answer.status < 300 ? { id: `sent-${calls.length}` } : { error: { code: 'Fail', message: 'fail' } })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
