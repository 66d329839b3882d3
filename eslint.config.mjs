// `npm run lint` runs this (ESLint) and `prettier --check`. TypeScript files get typescript-eslint's
// recommended type-checked rules, which see types: un-awaited promises (no-floating-promises),
// promises where a callback's result is ignored (no-misused-promises), and `any` leaking into
// typed code (no-unsafe-*). Formatting is Prettier's job alone; no rule here is about layout.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', '.dev-data/', '.bench/', '.stryker-tmp/']),
  // A disable comment that no longer disables anything is an error: no stale exceptions.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // tsconfig.json includes src, test, migrations, scripts and ormconfig.ts.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_` names a parameter or destructured field that is there only for its position.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // In specs, `expect(reply.header).toHaveBeenCalled()` passes a jest mock that stands in for a
    // method: never called through `this`, which is all unbound-method guards against (the rule's
    // own documentation says to turn it off for jest tests).
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // Plain JavaScript: Node scripts, the jest setup, configuration files.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
);
