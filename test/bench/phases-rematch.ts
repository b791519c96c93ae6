/**
 * Issue 15, Deliver 3: re-matching after a township's resident roll is replaced (about 5% of records) and after 100
 * review decisions, each next to a full match of the same workspace measured in the same run.
 *
 * The bench county's rural resident workbook has one sheet per township, so one roll per township. The prepare phase
 * copies the workspace, makes each sheet an import of its own, and writes the replacement file of the township nearest 5% of all records from its records
 * as they stand, so the re-import brings the same people under new record ids.
 */
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { removeRoll } from '../../electron/core/import/remove-roll';
import { runMatch, type MatchSummary } from '../../electron/core/match/run-match';
import { decidePair, listPending } from '../../electron/core/review/review-queue';
import type { CountyTruth } from '../fixtures/county-generator';
import { benchPassword } from './measure';

type Phase = (truth: CountyTruth, workspace: string) => Promise<{ items: number; extra?: Record<string, unknown> }>;

const copyOf = (workspace: string) => workspace.replace(/\.canbao$/, '-rematch.canbao');
const replacement = (workspace: string) => workspace.replace(/\.canbao$/, '-rematch-乡镇居民.csv');
const open = (workspace: string) => Workspace.open(copyOf(workspace), { password: benchPassword() });

const prepare: Phase = async (_truth, workspace) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(copyOf(workspace) + suffix, { force: true });
  const src = Workspace.open(workspace, { readonly: true, password: benchPassword() });
  src.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  src.close();
  copyFileSync(workspace, copyOf(workspace));
  const ws = open(workspace);
  const db = ws.db;
  const total = (db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n;
  // The rural resident workbook has a sheet, so a roll, per township; the platform sends a file per township, and a
  // file is what a clerk removes or replaces: each sheet becomes its own import. The one nearest 5% of all records
  // is sent again.
  db.prepare(`UPDATE roll SET import_id = import_id || '-' || id WHERE kind = 'resident_rural'`).run();
  const rolls = db
    .prepare(
      `SELECT r.id, r.township_scope AS township, count(*) AS n FROM roll r JOIN record c ON c.roll_id = r.id
      WHERE r.kind = 'resident_rural' GROUP BY r.id`,
    )
    .all() as { id: number; township: string | null; n: number }[];
  const chosen = rolls.sort((a, b) => Math.abs(a.n - total * 0.05) - Math.abs(b.n - total * 0.05))[0]!;
  const recs = db
    .prepare(
      `SELECT name, id_raw, gender, birth_date, township, village, household_no, insured_status FROM record
      WHERE roll_id = ? ORDER BY id`,
    )
    .raw(true)
    .all(chosen.id) as (string | null)[][];
  const cell = (v: string | null | undefined) => (v && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : (v ?? ''));
  const lines = ['姓名,身份证号码,性别,出生日期,乡镇,村（社区）,户号,参保状态'];
  for (const r of recs) {
    const g = r[2] === 'M' ? '男' : r[2] === 'F' ? '女' : '';
    lines.push([r[0], r[1], g, r[3], r[4], r[5], r[6], r[7]].map(cell).join(','));
  }
  writeFileSync(replacement(workspace), '\uFEFF' + lines.join('\n') + '\n');
  db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('benchReplaced', ?)`).run(String(chosen.id));
  ws.close();
  return { items: recs.length, extra: { township: chosen.township, share: Number((recs.length / total).toFixed(3)) } };
};

const summaryOf = (s: MatchSummary) => ({
  mode: s.mode,
  changedRecords: s.changedRecords,
  reclustered: s.reclustered,
  blockedRecords: s.blockedRecords,
  persons: s.persons,
  uninsured: s.uninsured,
  duplicates: s.duplicates,
  reviewPending: s.reviewPending,
});

const full: Phase = async (_truth, workspace) => {
  const ws = open(workspace);
  const s = runMatch(ws, { mode: 'full' });
  ws.close();
  return { items: s.records, extra: summaryOf(s) };
};

/** Not timed: the township's roll removed and its file imported again, as a clerk replaces it. */
const replaceRoll: Phase = async (_truth, workspace) => {
  const ws = open(workspace);
  const roll = Number(
    (ws.db.prepare(`SELECT value FROM meta WHERE key = 'benchReplaced'`).get() as { value: string }).value,
  );
  removeRoll(ws, roll, 'bench');
  const year = (ws.db.prepare(`SELECT max(year) AS y FROM roll WHERE kind != 'population'`).get() as { y: number }).y;
  const imp = await importFile(ws, replacement(workspace), { kind: 'resident_rural', year });
  ws.close();
  return { items: imp.records };
};

const rematch: Phase = async (_truth, workspace) => {
  const ws = open(workspace);
  const s = runMatch(ws);
  ws.close();
  return { items: s.records, extra: summaryOf(s) };
};

/** Not timed: 100 verdicts as a clerk gives them, on the queue's pairs first, then on pairs the match joined. */
const decide: Phase = async (_truth, workspace) => {
  const ws = open(workspace);
  const pending = listPending(ws.db, 100, 0).map((p) => [p.a.recordId, p.b.recordId] as const);
  const joined = ws.db
    .prepare(
      `SELECT min(id) AS a, max(id) AS b FROM record WHERE person_id IS NOT NULL GROUP BY person_id HAVING count(*) = 2
      ORDER BY person_id LIMIT ?`,
    )
    .raw(true)
    .all(100 - pending.length) as [number, number][];
  pending.forEach(([a, b], i) => decidePair(ws.db, a, b, i % 3 ? 'same' : 'different', 'bench'));
  for (const [a, b] of joined) decidePair(ws.db, a, b, 'different', 'bench');
  ws.close();
  return { items: pending.length + joined.length, extra: { fromQueue: pending.length } };
};

export const rematchPhases: Record<string, Phase> = {
  'rematch-prepare': prepare,
  'rematch-full': full,
  'rematch-replace': replaceRoll,
  'rematch-roll': rematch,
  'rematch-decide': decide,
  'rematch-decisions': rematch,
};
