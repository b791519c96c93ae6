// Development entry for the engine worker: registers tsx in the worker thread, then loads the TypeScript worker.
// The packaged app runs the compiled backend-worker.js instead and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./backend-worker.ts');
