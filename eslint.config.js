// ESLint: typescript-eslint's type-checked rules (promises above all: the page talks to its
// workers in message pairs, and a dropped promise there is a silent hang) and the rules of hooks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Indexing assertions (`a[i]!`) are written as if noUncheckedIndexedAccess were on: they
      // say where an index is known to be in range, and they would be needed under that flag.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // The parsers and the link codec match control characters on purpose, to refuse them.
      'no-control-regex': 'off',
      // `const { a: _a, ...rest } = x` leaves a property out; `_` names an unused parameter.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Tests and benchmarks read pages' JSON and patch browser prototypes; their values from a
    // page are checked by the assertions that follow, not by types.
    files: ['tests/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    // The two classic rules of hooks; the plugin's React Compiler rules are left out (the
    // page is not compiled by the React Compiler).
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
