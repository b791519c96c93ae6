// Folder layering, in the spirit of VS Code's layer rule: each folder may import only from the folders below it.
//   shared/          pure TypeScript: no electron, no node:*, no DOM, no better-sqlite3
//   electron/core    the engine: node and sqlite, but never electron, never the renderer
//   electron/main    thin Electron shell: may use core and shared
//   electron/preload contextBridge only: electron and shared, nothing of core
//   renderer/        React: shared only, talks to the engine through window.api
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'stream',
  'url',
  'util',
  'zlib',
  'http',
  'net',
];
const pattern = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'test-output/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // exceljs must be loaded through its UTF-8 fix (electron/core/spreadsheet/exceljs.ts).
    files: ['**/*.ts', '**/*.tsx'],
    ignores: [
      'electron/core/spreadsheet/exceljs.ts',
      'shared/**',
      'electron/core/**',
      'electron/preload/**',
      'electron/main/**',
      'renderer/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'exceljs', message: 'import ExcelJS from electron/core/spreadsheet/exceljs (UTF-8 fix).' }] },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['electron', 'electron/*'], 'shared/ is pure TypeScript: no electron.'),
            pattern(nodeBuiltins, 'shared/ is pure TypeScript: no Node built-ins.'),
            pattern(
              ['better-sqlite3', 'exceljs', 'react', 'react-dom', 'antd'],
              'shared/ is pure TypeScript: no database, spreadsheet or UI library.',
            ),
            pattern(['**/electron/**', '**/renderer/**', '**/test/**'], 'shared/ imports nothing from other layers.'),
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'require', 'process'],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              ['electron', 'electron/*'],
              'electron/core is the engine: it runs in plain Node, never import electron.',
            ),
            pattern(
              ['**/renderer/**', '**/main/**', '**/preload/**', '**/test/**'],
              'electron/core imports only shared/ and libraries.',
            ),
            pattern(['react', 'react-dom', 'antd'], 'no UI in the engine.'),
          ],
          paths: [{ name: 'exceljs', message: 'import ExcelJS from electron/core/spreadsheet/exceljs (UTF-8 fix).' }],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              ['**/core/**', '**/main/**', '**/renderer/**'],
              'preload exposes the contract only; it never reaches the engine directly.',
            ),
            pattern(['better-sqlite3', 'exceljs', ...nodeBuiltins], 'preload runs sandboxed: no Node modules.'),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              ['**/renderer/**', '**/preload/**', '**/test/**'],
              'main does not import renderer, preload or tests.',
            ),
          ],
          paths: [
            {
              name: 'exceljs',
              message:
                'the shell writes no spreadsheets; the engine does, through electron/core/spreadsheet/exceljs (UTF-8 fix).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              ['electron', 'electron/*', 'better-sqlite3', 'exceljs', ...nodeBuiltins],
              'the renderer has no Node: it talks to window.api only.',
            ),
            pattern(['**/electron/**', '**/test/**'], 'the renderer imports only shared/.'),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/spreadsheet/exceljs.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
