/**
 * One jest run covers unit specs beside the code (libs and app), whole-app e2e
 * specs and integration specs against real Redis / bubblewrap.
 * globalSetup starts a throwaway redis-server (or uses REDIS_URL).
 */
const moduleNameMapper = {
  '^@app/(policy|budget|redaction|sandbox|approvals)(/.*)?$': '<rootDir>/libs/$1/src$2',
};

module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testRegex: '.*\\.(spec|e2e-spec|int-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    // @fastify/static (Swagger UI assets) requires an ESM-only package; Node loads it natively (require of ESM), jest needs it compiled.
    // jose 6 is ESM-only too.
    '/node_modules/(content-disposition|jose)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|jose)/)'],
  testEnvironment: 'node',
  roots: ['<rootDir>/apps/', '<rootDir>/libs/', '<rootDir>/deploy/'],
  moduleNameMapper,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
};
