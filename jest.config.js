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
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
