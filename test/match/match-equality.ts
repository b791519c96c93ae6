import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile, type ImportOptions } from '../../electron/core/import/import-file';
import { readMatchState } from '../../electron/core/match/match-state';
import { runMatch, type MatchSummary } from '../../electron/core/match/run-match';

// What an incremental re-match and a full match of the same workspace must agree on (issue 15, Deliver 3): what a
// clerk sees, and what the state keeps for the next re-match.

/** Everything a clerk sees after a match, minus the times it ran. */
export function seen(ws: Workspace) {
  const all = (sql: string) => ws.db.prepare(sql).all();
  return {
    records: all('SELECT id, person_id, link_rule, link_score FROM record ORDER BY id'),
    persons: all('SELECT id, retired_reason, successor_id FROM person ORDER BY id'),
    status: all('SELECT * FROM person_status ORDER BY person_id'),
    duplicates: all('SELECT person_id, record_id, action, rule FROM duplicate_item ORDER BY person_id, record_id'),
    review: all(
      `SELECT record_a, record_b, weight, probability, impact, impact_label, explanation_json FROM review_pair
      WHERE decided_at IS NULL ORDER BY record_a, record_b`,
    ),
    villages: all('SELECT * FROM village_base ORDER BY township, village'),
  };
}

/**
 * The records and keys the state keeps for the next re-match, which an incremental run writes only in the chunks whose
 * records changed (record-chunks.ts): they must read back as a full match writes them. Within one record the
 * looked-up numbers may come in another order.
 */
export function storedRecords(ws: Workspace) {
  const s = readMatchState(ws.db)!;
  const k = s.keys!;
  return {
    recordIds: [...s.recordIds],
    hashes: [...k.hashes],
    content: [...k.content],
    queries: [...k.queryOwner].map((o, q) => `${o}:${k.queryHash[q]}`).sort(),
    // Every candidate pair with its weight and flags: the next re-match starts from these.
    pairs: [...s.pairs.a].map((a, j) => `${a}-${s.pairs.b[j]}:${s.pairs.weight[j]}:${s.pairs.flags[j]}`),
    // The blocks past the cap that one string holds: the next re-match trusts these without reading their holders.
    cappedValues: s.cappedValues ?? {},
    // A roll's identity holds its import's id, which differs between the two copies.
    rollRanges: Object.entries(s.rollRanges ?? {})
      .map(([identity, range]) => [identity.split('|').toSpliced(1, 1).join('|'), range])
      .sort(),
  };
}

/**
 * A workspace in `dir` with these files imported and matched in full, and a copy of it: `inc` to re-match
 * incrementally, `full` to match in full with the parameters kept, after the same steps on both.
 */
export async function matchedCopies(
  dir: string,
  files: ({ path: string } & ImportOptions)[],
): Promise<{ inc: Workspace; full: Workspace; first: MatchSummary }> {
  const path = join(dir, 'inc.canbao');
  const ws = Workspace.open(path, { create: true });
  for (const { path: file, ...opts } of files) await importFile(ws, file, opts);
  const first = runMatch(ws);
  ws.close();
  copyFileSync(path, join(dir, 'full.canbao'));
  return { inc: Workspace.open(path), full: Workspace.open(join(dir, 'full.canbao')), first };
}

/**
 * Re-matches both copies, `inc` incrementally and `full` in full with the parameters kept, and checks that they agree:
 * the mode, the candidate pairs, what the state keeps for the next re-match and what a clerk sees.
 */
export function rematchBoth(inc: Workspace, full: Workspace): { a: MatchSummary; b: MatchSummary } {
  const a = runMatch(inc);
  const b = runMatch(full, { mode: 'full', keepParameters: true });
  expect(a.mode).toBe('incremental');
  expect(a.candidatePairs).toBe(b.candidatePairs);
  expect(storedRecords(inc)).toEqual(storedRecords(full));
  expect(seen(inc)).toEqual(seen(full));
  return { a, b };
}

/** One file imported into both copies, then both re-matched and checked to agree (rematchBoth). */
export async function importAndRematchBoth(
  inc: Workspace,
  full: Workspace,
  { path, ...opts }: { path: string } & ImportOptions,
): Promise<{ a: MatchSummary; b: MatchSummary }> {
  for (const ws of [inc, full]) await importFile(ws, path, opts);
  return rematchBoth(inc, full);
}
