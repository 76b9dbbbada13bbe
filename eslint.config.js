// ESLint flat config: typescript-eslint's type-aware recommended rules for the TypeScript sources.
import eslint from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'mock-ims/dist/', '.build/', 'coverage/', 'node_modules/', '.stryker-tmp/', 'reports/'] },
  eslint.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Errors from Node's internals and other realms are not always `instanceof Error`; the code checks shapes.
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', URL: 'readonly', URLSearchParams: 'readonly' },
    },
  },
  {
    files: ['__tests__/**/*.ts'],
    rules: {
      // Tests read fields of values whose types the assertions check.
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
)
