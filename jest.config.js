/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // uuid 14 is ESM-only and @langchain/community requires it (see STACK-NOTES).
    '/node_modules/uuid/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!uuid/)'],
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // A suite that times out in its afterAll (a slow machine) can leave a server or a pool open;
  // CI must end with the results rather than wait for them.
  forceExit: true,
  // Suites run one at a time in a worker that is replaced once its heap passes this size. In one
  // process, each suite's whole module graph stayed reachable afterwards (about 40 MB a suite):
  // heap snapshots showed a native global handle (most likely pdf-parse's @napi-rs/canvas, loaded
  // anew in every suite's module registry) holding jest-circus's async-local test context, and
  // with it the suite's runtime. Recycling the worker is jest's own remedy for leaks in native code.
  workerIdleMemoryLimit: '1536MB',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
