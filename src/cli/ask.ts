import { loadConfig } from '../config/config';
import { SUPPORTED_LANGUAGES, type Language } from '../config/config-schema';
import { prepareQa } from '../adapters/retrieval/qa-runtime';
import { passageTitle } from '../core/qa/answer-service';

/**
 * `npm run ask -- [--lang es] [--offline] [--lexical] "question"`: answers one question with the
 * same service as the bot and shows the passages it retrieved.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 1)[0] : undefined;
  };
  const langAt = args.indexOf('--lang');
  const lang = (langAt >= 0 ? args.splice(langAt, 2)[1] : 'en') as Language;
  if (!(SUPPORTED_LANGUAGES as readonly string[]).includes(lang)) {
    process.stderr.write(`--lang must be one of ${SUPPORTED_LANGUAGES.join(', ')}\n`);
    return 2;
  }
  const offline = Boolean(flag('--offline'));
  const lexical = Boolean(flag('--lexical'));
  const question = args.join(' ').trim();
  if (!question) {
    process.stderr.write('usage: npm run ask -- [--lang en|es|fr|pt|ar] [--offline] [--lexical] "your question"\n');
    return 2;
  }
  const { service } = await prepareQa(loadConfig(), { offline });
  const answer = await service.ask({ question, lang, retrievalMode: lexical ? 'lexical' : 'hybrid' });
  const out = process.stdout;
  switch (answer.kind) {
    case 'empty':
    case 'unknown-step':
      out.write('(empty question)\n');
      return 2;
    case 'too-long':
      out.write(`The question is longer than ${answer.limit} characters.\n`);
      return 2;
    default:
      break;
  }
  if (answer.kind === 'answer') {
    out.write(`${answer.text}\n\n`);
    for (const c of answer.citations) out.write(`[${c.n}] ${[c.moduleTitle, c.lessonTitle, c.title].filter(Boolean).join(' › ')} (${c.source})\n`);
    out.write(`\nanswerer: ${answer.generator}; `);
  } else {
    out.write('NOT COVERED by the course. Closest lessons:\n');
    for (const c of answer.closest) out.write(`- ${c.moduleTitle} › ${c.lessonTitle}\n`);
    out.write('\n');
  }
  const e = answer.evidence;
  if (e)
    out.write(
      `evidence: coverage ${e.coverage.toFixed(2)}, unknown names ${e.unknownNames.toFixed(2)}, retriever agreement ${e.agreement}, vector similarity ${e.similarity.toFixed(2)}${e.glossaryIds.length ? `, glossary ${e.glossaryIds.join(', ')}` : ''}\n`,
    );
  out.write(
    `confidence ${answer.confidence.toFixed(2)}; content language ${answer.contentLang}${answer.notices.length ? `; notices: ${answer.notices.join(', ')}` : ''}\nsearched: ${answer.query}\n\nPassages used:\n`,
  );
  for (const p of answer.passages) out.write(`#${p.rank} (${p.score.toFixed(4)}) ${p.chunk.id} ${passageTitle(p.chunk)}\n    ${p.chunk.text.slice(0, 160).replace(/\s+/g, ' ')}…\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`ask failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
