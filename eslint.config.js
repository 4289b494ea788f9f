import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'

const nodeBuiltins = { group: ['node:*'], message: 'shared/ and web/ run in the browser: no node: modules.' }

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'patches'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.web.json', './tsconfig.node.json', './tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      'no-console': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            {
              group: ['**/web/**', '**/relay-server/**', 'react', 'idb', 'yjs'],
              message: 'shared/ is isomorphic and imports neither program.',
            },
          ],
        },
      ],
    },
  },
  {
    // shared/ runs in the browser and in Node: no page, storage or browser globals, imported or not
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'indexedDB', 'IDBKeyRange', 'localStorage', 'sessionStorage', 'navigator', 'location', 'self'].map(
          (name) => ({ name, message: 'shared/ is isomorphic: this global is not there in Node.' }),
        ),
      ],
    },
  },
  {
    files: ['web/store/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            // it may implement ports the app declares (their types); it never reaches the network
            { group: ['../net/*', '**/web/net/**'], message: 'web/store keeps data: it does not know the network.' },
            { group: ['**/relay-server/**'], message: 'web/ never imports the relay.' },
          ],
        },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', 'web/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [nodeBuiltins, { group: ['**/relay-server/**'], message: 'web/ never imports the relay.' }] },
      ],
    },
  },
  {
    files: ['web/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['libp2p', '@libp2p/*', '@chainsafe/*', 'idb', 'blockstore-*', 'yjs', 'multiformats', 'multiformats/*'],
              message: 'The UI calls web/app only.',
            },
            {
              group: ['../net/*', '../store/*', '../fetch/*', '../sync/*', '../../shared/*', '../../shared/**'],
              message: 'The UI calls web/app only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['relay-server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/web/**'], message: 'the relay never imports the web app.' }] }],
    },
  },
  {
    // tests may print the figures they measure
    files: ['relay-server/main.ts', 'bench/**/*.ts', 'scripts/**', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
)
