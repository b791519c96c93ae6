// Development entry for the export worker: registers tsx in the worker thread, then loads the TypeScript worker.
// The packaged app runs the compiled export-worker.js instead and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./export-worker.ts');
