/**
 * The layering the README describes (channels at the edge, a channel-neutral core, renderers,
 * ports with adapters), enforced by test/house/architecture.test.ts inside `npm test` and by
 * `npm run deps:check`. src/errors and src/intents (the Reply intents) are neutral: every
 * layer may import them.
 */
const SDKS = [
  'botbuilder',
  'botframework-',
  '@slack/',
  'restify',
  'pg',
  'pg-',
  'better-sqlite3',
  'openai',
  'hnswlib-node',
  'langchain',
  '@langchain/',
  'pdfkit',
  'pdf-parse',
  'undici',
  'prom-client',
  '@xapi/',
  'rate-limiter-flexible',
  'htmlparser2',
];
const sdkPath = `node_modules/(${SDKS.map((name) => name.replace(/[/.]/g, '\\$&') + (name.endsWith('-') || name.endsWith('/') ? '' : '(/|$)')).join('|')})`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-channel-neutral',
      comment: 'src/core knows nothing of channels, card formats, adapters or the composition root: it returns Reply intents and talks to ports.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(channels|render|adapters|app|cli)/' },
    },
    {
      name: 'core-uses-no-sdk',
      comment: 'SDKs (Bot Framework, Slack, HTTP, databases, model and retrieval libraries, PDF, metrics) belong in channels and adapters.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: sdkPath },
    },
    {
      name: 'ports-are-interfaces',
      comment: 'src/ports declares what the core needs; it imports nothing from the core, the edge or the adapters (shared types live in src/intents or the port).',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { path: ['^src/(core|channels|render|adapters|app|cli)/', sdkPath] },
    },
    {
      name: 'render-knows-no-channel',
      comment: 'Renderers turn Reply intents into plain card, Block Kit or text data; wrapping it for an SDK is the channel adapter\'s job.',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: ['^src/(channels|adapters|app|cli)/', 'node_modules/(botbuilder|botframework-|@slack/|restify)'] },
    },
    {
      name: 'adapters-know-no-channel',
      comment: 'Adapters implement ports; they neither render nor speak a channel protocol.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(channels|render|app|cli)/' },
    },
    {
      name: 'bot-framework-lives-in-channels-botframework',
      comment: 'Bot Framework code stays in src/channels/botframework (and the local web chat, whose Direct Line protocol feeds the same adapter); the composition root wires it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(channels/botframework|channels/webchat|app)/' },
      to: { path: 'node_modules/(botbuilder|botframework-)' },
    },
    {
      name: 'slack-lives-in-channels-slack',
      comment: 'The Slack SDK stays in src/channels/slack.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(channels/slack|app)/' },
      to: { path: 'node_modules/@slack/' },
    },
    {
      name: 'neutral-modules-stay-neutral',
      comment: 'src/errors and src/intents are imported by every layer, so they import none of them (config types only).',
      severity: 'error',
      from: { path: '^src/(errors|intents)/' },
      to: { path: ['^src/(core|ports|channels|render|adapters|app|cli|i18n|logging)/', 'node_modules/'] },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and layers inseparable.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports is dead code (entry points excepted).',
      severity: 'error',
      from: { orphan: true, path: '^src/', pathNot: ['^src/main\\.ts$', '^src/cli/', '\\.d\\.ts$', '^src/channels/webchat/public/'] },
      to: {},
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves (a typo or a package missing from package.json).',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test-artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.cjs', '.mjs', '.json', '.d.ts'] },
    builtInModules: { add: [] },
  },
};
