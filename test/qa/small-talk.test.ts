import fs from 'node:fs';
import path from 'node:path';
import { recognizeSmallTalk } from '../../src/core/qa/small-talk';
import { SHARED_DIR } from '../support/app-harness';

const devSet = fs
  .readFileSync(path.join(SHARED_DIR, 'eval', 'smalltalk.dev.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: string; text: string; kind: string });

const EXPECTED_KIND: Record<string, string> = { greeting: 'greeting', thanks: 'thanks', ack: 'ack', identity: 'identity', 'howto-start': 'start' };

describe('small talk recognition', () => {
  it.each(devSet.map((d) => [d.id, d.text, d.kind]))('%s "%s" is %s', (_id, text, kind) => {
    expect(recognizeSmallTalk(text)?.kind).toBe(EXPECTED_KIND[kind]);
  });

  it.each([
    ['buenos días, gracias por todo', 'thanks'],
    ['bye!', 'bye'],
    ['stop', 'bye'],
    ['au revoir', 'bye'],
    ['obrigado, tchau', 'thanks'],
    ['صباح الخير', 'greeting'],
    ['what can you do?', 'identity'],
    ['por onde começo?', 'start'],
  ])('"%s" is %s', (text, kind) => {
    expect(recognizeSmallTalk(text)?.kind).toBe(kind);
  });

  it.each([
    'How do I start a human rights impact assessment?',
    'great britain AI playbook',
    'ok so what is automation bias?',
    '¿Qué es el RGPD?',
    'who is a data steward?',
    'stop words in retrieval',
    'comment démarrer un projet d’IA dans un ministère ?',
    'GDPR',
  ])('"%s" is a question, not small talk', (text) => {
    expect(recognizeSmallTalk(text)).toBeUndefined();
  });

  it('passes on the question that follows a greeting', () => {
    expect(recognizeSmallTalk('Hola, ¿qué es el sesgo de automatización?')).toEqual({ kind: 'greeting', rest: '¿qué es el sesgo de automatización?' });
    expect(recognizeSmallTalk('hi, what is RAG?')?.rest).toBe('what is RAG?');
  });
});
