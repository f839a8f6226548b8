import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

/**
 * Layers (docs/architecture.md#layers): outside lib/iggy, the client is reached through `@/lib/iggy` (its
 * index) or, for the few callers below the command surface, `@/lib/iggy/internal`; a deep import of any other
 * file in it fails. test/ is exempt, except test/support: the test server is written independently of the
 * client and never imports it.
 */
const DEEP_IGGY_IMPORT = {
  regex: String.raw`^(?:@/lib/|(?:\.\./)+(?:lib/)?)iggy/(?!(?:index|internal)(?:\.ts)?$)`,
  message:
    "Import the client through '@/lib/iggy' (or '@/lib/iggy/internal' for the wire inspector and benchmarks).",
};
const ANY_IGGY_IMPORT = String.raw`^(?:@/lib/|(?:\.\./)+(?:lib/)?)iggy(?:/.*)?$`;
/** Its entries only: the type-only exception must not cover a deep import (a matching allowance wins). */
const IGGY_ENTRY_IMPORT = String.raw`^(?:@/lib/|(?:\.\./)+(?:lib/)?)iggy(?:/(?:index|internal)(?:\.ts)?)?$`;

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      '.next/**',
      '.next-*/**',
      '.data/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{ts,tsx,js,jsx,mjs}'],
    ignores: ['lib/iggy/**', 'test/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [DEEP_IGGY_IMPORT] }],
    },
  },
  {
    // Pages and components end up in the browser: the client (sockets, Buffer) may reach them as types only.
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/api/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            DEEP_IGGY_IMPORT,
            {
              regex: IGGY_ENTRY_IMPORT,
              allowTypeImports: true,
              message: 'Pages and components may import the Iggy client as types only (`import type`).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/support/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: ANY_IGGY_IMPORT,
              message: 'The test server is written independently of the client: it never imports lib/iggy.',
            },
          ],
        },
      ],
    },
  },
];

export default config;
