import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

// main: the thin shell plus the engine's worker entries (they run in worker threads of the main process);
// preload: CommonJS, as a sandboxed preload must be; renderer: the React UI.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          'backend-worker': resolve(import.meta.dirname, 'electron/core/service/backend-worker.ts'),
          'export-worker': resolve(import.meta.dirname, 'electron/core/export/export-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': bundle everything else (it imports nothing else today).
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
      chunkSizeWarningLimit: 4000,
    },
  },
});
