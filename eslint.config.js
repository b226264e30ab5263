import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
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
  // repository. The files listed below still reach into another module's repository: each one removed from the list
  // is one reach fixed; a new one fails the build.
  {
    files: ['server/modules/**/*.ts'],
    ignores: [
      'server/modules/**/*.test.ts',
      // The families/contacts pair is split by issue #12's families.service work; the people modules share one region read.
      'server/modules/families/families.service.ts',
      'server/modules/compliance/compliance.repository.ts',
      'server/modules/trainings/trainings.service.ts',
      'server/modules/county-staffing/county-staffing.service.ts',
      'server/modules/partners/partners.service.ts',
      'server/modules/medical-services/medical-services.service.ts',
      'server/modules/liaisons/liaisons.service.ts',
    ],
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
  {
    files: ['scripts/**', 'bench/**', 'e2e/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
