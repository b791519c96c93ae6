// A worker thread of the concurrent-import test: opens the workspace on its own connection, waits for the start
// signal shared with its twin, then imports. tsx is registered here because worker threads do not inherit it.
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
const { Workspace } = await import('../../electron/core/db/workspace.ts');
const { importFile } = await import('../../electron/core/import/import-file.ts');
const ws = Workspace.open(workerData.workspace);
parentPort.postMessage({ ready: true });
Atomics.wait(new Int32Array(workerData.go), 0, 0);
try {
  const s = await importFile(ws, workerData.file, { kind: 'employee', year: 2026 });
  parentPort.postMessage({ ok: true, records: s.records });
} catch (e) {
  parentPort.postMessage({ ok: false, kind: e.kind, message: e.message });
} finally {
  ws.close();
}
