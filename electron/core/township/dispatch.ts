import type Database from 'better-sqlite3';
import type { MaskProfile } from '../../../shared/export/mask';
import { CanbaoError, throwIfAborted, type CancelFlag } from '../errors';
import { exportWorkbooks, type ExportResult } from '../export/export-all';
import { openUninsured } from '../export/uninsured-ledger';
import { roundTripFacts } from './round-trip-facts';
import { takeSnapshot } from './snapshots';

export interface DispatchOptions {
  dir: string;
  /** Townships to dispatch to; all with persons to visit when empty. */
  townships?: string[];
  mask: MaskProfile;
  format: 'xlsx' | 'csv';
  actor: string;
  workspacePath?: string;
  workspacePassword?: string;
  signal?: CancelFlag;
  onProgress?: (p: { label: string; done: number; total: number }) => void;
  /** The dispatch time (tests put batches in the past); now by default. */
  at?: Date;
}

export interface DispatchResult extends ExportResult {
  batchNo: string;
  dispatchedAt: string;
  persons: number;
  townships: { township: string; persons: number }[];
}

/** 批次号: the day and the day's sequence, 20261127-01, as a clerk writes it on the cover letter. */
function nextBatchNo(db: Database.Database, at: Date): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '');
  const last = db
    .prepare(`SELECT batch_no FROM dispatch_batch WHERE batch_no LIKE ? ORDER BY batch_no DESC LIMIT 1`)
    .pluck()
    .get(`${day}-%`) as string | undefined;
  const n = last ? Number(last.slice(9)) + 1 : 1;
  return `${day}-${String(n).padStart(2, '0')}`;
}

/**
 * 下发: records a numbered, dated batch with the persons each township is to visit now (the open 未参保 list), and
 * writes each township's ledger naming the batch, through the export's staging and manifest. The batch counts only
 * once every file is in place; a failed or cancelled dispatch leaves neither files nor batch.
 */
export async function dispatchLedgers(db: Database.Database, o: DispatchOptions): Promise<DispatchResult> {
  if (!db.prepare('SELECT 1 FROM match_run LIMIT 1').get())
    throw new CanbaoError('badInput', '工作区尚未比对，请先运行比对，再下发未参保台账');
  const all = (
    db
      .prepare(`SELECT DISTINCT township_key AS t FROM person_status WHERE in_base = 1 AND township_key IS NOT NULL`)
      .pluck()
      .all() as string[]
  ).sort();
  const unknown = (o.townships ?? []).filter((t) => !all.includes(t));
  if (unknown.length)
    throw new CanbaoError('badInput', `没有乡镇“${unknown.join('、')}”。工作区中的乡镇：${all.join('、')}`);
  const facts = roundTripFacts(db);
  const lists = (o.townships?.length ? o.townships : all).map((t) => ({
    township: t,
    rows: openUninsured(db, t, facts),
  }));
  const withPersons = lists.filter((l) => l.rows.length > 0);
  if (!withPersons.length)
    throw new CanbaoError(
      'badInput',
      `${o.townships?.length ? `乡镇“${o.townships.join('、')}”` : '各乡镇'}没有需要下发的未参保人员（都已参保、已核减或已核实为县外参保）`,
    );
  const at = (o.at ?? new Date()).toISOString();
  const persons = withPersons.reduce((a, l) => a + l.rows.length, 0);
  const batch = db.transaction(() => {
    // A batch left 'writing' was a dispatch killed before its files were in place: it never counted.
    db.prepare(`DELETE FROM dispatch_batch WHERE state = 'writing'`).run();
    const no = nextBatchNo(db, new Date(at));
    const id = Number(
      db
        .prepare(
          `INSERT INTO dispatch_batch (batch_no, dispatched_at, dispatched_by, townships_json, mask, persons, state)
          VALUES (?, ?, ?, ?, ?, ?, 'writing')`,
        )
        .run(no, at, o.actor, JSON.stringify(withPersons.map((l) => l.township)), o.mask, persons).lastInsertRowid,
    );
    const item = db.prepare(
      `INSERT INTO dispatch_item (batch_id, seq, person_id, name, id_number, township_key, village_key)
      VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    let seq = 0;
    for (const l of withPersons)
      for (const r of l.rows) item.run(id, ++seq, r.person_id, r.name, r.id_number, l.township, r.village_key);
    return { id, no };
  })();
  try {
    const result = await exportWorkbooks(db, {
      dir: o.dir,
      what: ['ledger'],
      townships: withPersons.map((l) => l.township),
      mask: o.mask,
      format: o.format,
      actor: o.actor,
      workspacePath: o.workspacePath,
      workspacePassword: o.workspacePassword,
      signal: o.signal,
      onProgress: o.onProgress,
      batch: { id: batch.id, no: batch.no, at, persons },
    });
    throwIfAborted(o.signal);
    takeSnapshot(db, 'dispatch');
    return {
      ...result,
      batchNo: batch.no,
      dispatchedAt: at,
      persons,
      townships: withPersons.map((l) => ({ township: l.township, persons: l.rows.length })),
    };
  } catch (e) {
    // Stopped (cancelled, or the workspace taken over by a colleague): nothing more is written; the next dispatch
    // removes the batch left 'writing', which never counted.
    if (!o.signal?.aborted) db.prepare('DELETE FROM dispatch_batch WHERE id = ?').run(batch.id);
    throw e;
  }
}

export interface BatchView {
  batchNo: string;
  dispatchedAt: string;
  dispatchedBy: string;
  townships: string[];
  persons: number;
  /** Of its persons, with an answer from this batch's returns. */
  answered: number;
}

/** The batches dispatched so far, newest first (a batch whose files were never finished is not one). */
export function listBatches(db: Database.Database): BatchView[] {
  return (
    db
      .prepare(
        `SELECT b.batch_no AS batchNo, b.dispatched_at AS dispatchedAt, b.dispatched_by AS dispatchedBy,
          b.townships_json AS t, b.persons,
          (SELECT count(DISTINCT v.person_id) FROM verification v WHERE v.batch_id = b.id) AS answered
        FROM dispatch_batch b WHERE b.state = 'done' ORDER BY b.id DESC`,
      )
      .all() as (Omit<BatchView, 'townships'> & { t: string })[]
  ).map(({ t, ...b }) => ({ ...b, townships: JSON.parse(t) as string[] }));
}
