// Lint for TypeScript plus the layering rule of the README's "Architecture" section: a layer
// imports only the layers below it. The allowed imports form a graph without cycles, so a
// folder cycle cannot pass either.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// Each layer, top to bottom, with the layers it may import. `src/errors`, `src/config`,
// `src/logging` and `src/project-root.ts` are the foundations every layer may use.
const FOUNDATIONS = ['src/errors', 'src/config', 'src/logging', 'src/project-root.ts'];
const LAYERS = {
  'src/server': ['resolvers', 'src/services', 'src/scheduler', 'src/webhooks', 'src/sync', 'src/metrics', 'src/db', 'entities'],
  resolvers: ['src/services', 'entities'],
  'src/scheduler': ['src/sync'],
  'src/services': ['src/sync', 'src/db', 'entities'],
  'src/webhooks': ['src/sync', 'src/calendly', 'src/metrics', 'src/db', 'entities'],
  'src/sync': ['src/calendly', 'src/sql-runner', 'src/metrics', 'src/db', 'entities'],
  'src/sql-runner': ['src/db'],
  'src/calendly': [],
  'src/simulator': ['src/calendly'],
  'src/metrics': [],
  'src/db': ['entities'],
  entities: [],
  'src/config': ['src/errors'],
  'src/logging': [],
  'src/errors': [],
  'src/project-root.ts': [],
};

// The entry points sit above every layer: they may import anything, and nothing imports them.
const ENTRY_POINTS = ['src/main.ts', 'src/cli'];

const ALL = Object.keys(LAYERS);
// A folder missing from the table would be outside the rule both ways, so it stops the lint instead.
const unplaced = readdirSync(join(import.meta.dirname, 'src'))
  .map((name) => `src/${name}`)
  .filter((path) => !ALL.includes(path) && !ENTRY_POINTS.includes(path));
if (unplaced.length) throw new Error(`eslint.config.mjs: give ${unplaced.join(', ')} a place in LAYERS`);

const zones = ALL.flatMap((target) => {
  const allowed = new Set([target, ...LAYERS[target], ...(FOUNDATIONS.includes(target) ? [] : FOUNDATIONS)]);
  return [...ALL, ...ENTRY_POINTS].filter((from) => !allowed.has(from)).map((from) => ({
    target: `./${target}`,
    from: `./${from}`,
    message: `${target} may import only ${[...allowed].filter((name) => name !== target).join(', ') || 'nothing of ours'} (README "Architecture").`,
  }));
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // axios is the Calendly client's business only.
      'no-restricted-imports': ['error', { paths: [{ name: 'axios', message: 'Only src/calendly talks HTTP to Calendly.' }] }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/config reads process.env.' }],
      // A rest sibling is how a copy leaves keys out (`{ loaded_at, ...rest }`): not an unused name.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/calendly/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Configuration, entry points, tests and the benchmark may read the environment.
    files: ['src/config/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
