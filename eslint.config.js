import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'web/dist', 'data', 'bench/results', 'bench/.cache', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Never print a value that might be an ID number or phone: the server logs through Fastify's logger only.
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // The layers (docs/ARCHITECTURE.md): the floor (server/platform) imports no module; the demo data, the service
  // graph (services.ts) and the app sit above the modules and may import them.
  {
    files: ['server/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(modules|demo)/|^(\\.\\./)+(services|app|prepare-database)\\.js$',
              message: 'server/platform is the floor: it imports no module (pass what it needs in from above).',
            },
          ],
        },
      ],
    },
  },
  // A module talks to another through its services (or the functions its service file exports), never to its
  // repository. No file is exempt (issue 12 fixed the last reaches): a new one fails the build.
  {
    files: ['server/modules/**/*.ts'],
    ignores: ['server/modules/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+[^./][^/]*/[^/]+\\.repository(\\.js)?$',
              message: "Another module's repository: go through that module's service (modules talk through services).",
            },
          ],
        },
      ],
    },
  },
  // Only repositories hold SQL (docs/ARCHITECTURE.md): a service, route, worker or helper file of a module never
  // builds a query itself, it calls its module's repository (or another module's service). The builder's entry
  // points and the `sql` tag are what a query starts from; `db.transaction()` is the service's, so it stays allowed.
  {
    files: ['server/modules/**/*.ts'],
    ignores: ['server/modules/**/*.repository.ts', 'server/modules/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression > MemberExpression.callee[property.name=/^(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)$/]',
          message: "SQL lives in repositories: move this query to the module's *.repository.ts and call it from here.",
        },
        {
          selector:
            "ImportDeclaration[source.value='kysely'][importKind!='type'] > ImportSpecifier[imported.name='sql'][importKind!='type']",
          message: "SQL lives in repositories: the `sql` tag belongs in the module's *.repository.ts.",
        },
      ],
    },
  },
  // No import cycles anywhere (server, common, web, scripts, tests): a cycle makes the load order decide what is
  // undefined at start, and on the web it ties chunks together. Type-only imports do not count (they vanish from
  // the JavaScript).
  {
    files: [
      'server/**/*.ts',
      'common/**/*.ts',
      'web/**/*.{ts,tsx}',
      'scripts/**/*.{ts,mjs,js}',
      'test/**/*.ts',
      'bench/**/*.{ts,mjs}',
      'e2e/**/*.ts',
    ],
    plugins: { 'import-x': importX },
    settings: {
      // Dependencies are parsed as TypeScript, and a `./x.js` import is the `./x.ts` beside it (NodeNext style).
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
        }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['scripts/**', 'bench/**', 'e2e/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
