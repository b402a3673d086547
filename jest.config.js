// Four tiers (see docs/testing.md):
//   unit   - pure rules and simulator rules, no Nest, no database, no network
//   medium - Nest testing module on a real SQLite file + the simulator over loopback HTTP
//   e2e    - the whole app (configureApp) over HTTP, Socket.IO and a real browser
//   cluster - two built app processes on PostgreSQL + Redis against the simulator
const fs = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;
swcrc.jsc.baseUrl = __dirname;

const ESM_PACKAGES = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  '@borewit',
  'uint8array-extras',
  'ansis',
  'p-queue',
  'p-timeout',
];

const shared = {
  rootDir: __dirname,
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcrc],
    '^.+\\.m?js$': '<rootDir>/test/support/esm-transformer.js',
  },
  // Only the ES-module-only packages are compiled (see test/support/esm-transformer.js).
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@app/(.*)$': '<rootDir>/src/$1',
    '^@sim/(.*)$': '<rootDir>/sim/$1',
    '^@test/(.*)$': '<rootDir>/test/$1',
  },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/env.setup.js'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/sim/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'medium',
      // Real HTTP, SQLite and child processes: generous limits for a loaded CI machine. Jest
      // applies a project's testTimeout only when that project runs alone, so test:postgres
      // (medium and e2e together) passes --testTimeout as well.
      testTimeout: 30_000,
      testMatch: ['<rootDir>/test/medium/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      testTimeout: 30_000,
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...shared,
      // Two built app processes on PostgreSQL + Redis (npm run test:cluster).
      displayName: 'cluster',
      testTimeout: 240_000,
      testMatch: ['<rootDir>/test/cluster/**/*.spec.ts'],
    },
  ],
};
