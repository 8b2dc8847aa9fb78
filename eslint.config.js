// ESLint 9 flat config: typescript-eslint's type-checked recommended rules for all TypeScript.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig(
  {
    ignores: ['**/dist/**', 'apps/server/bundle/**', '**/node_modules/**', '.vireo-test/**', '**/coverage/**', '.test-results/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        // Each file is typed by the nearest tsconfig.json that includes it; loose root files
        // (vitest.config.ts) use TypeScript's default project.
        projectService: { allowDefaultProject: ['*.ts'] },
        tsconfigRootDir: root,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Test files sit outside the packages' build tsconfigs (which include only src/), so
    // they are typed through tsconfig.test.json instead of the project service.
    files: ['packages/*/test/**/*.{ts,tsx}', 'apps/*/test/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: false, project: ['./tsconfig.test.json'], tsconfigRootDir: root },
    },
  },
  {
    // Plain JavaScript (this file, scripts/*.mjs) is linted without type information.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
