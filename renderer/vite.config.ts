import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The renderer alone (used by the browser harness and by electron-vite's renderer build alike).
export default defineConfig({
  root: resolve(import.meta.dirname),
  base: './',
  plugins: [react()],
  build: { outDir: resolve(import.meta.dirname, '../out/renderer'), emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
