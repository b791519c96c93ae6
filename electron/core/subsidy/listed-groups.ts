import type Database from 'better-sqlite3';
import type { Identity } from '../../../shared/domain/subsidy';
import { specialGroupRank, type SpecialGroup } from '../../../shared/headers/coded-values';
import { confirmedLinks, refreshSubsidyCandidates } from './subsidy-links';

/** The special group a list's identity shows as wherever a person appears (ledger order, filters, 一人一档). */
const GROUP_OF: Partial<Record<Identity, SpecialGroup>> = {
  tekun: 'tekun',
  orphan: 'tekun',
  dibao: 'dibao',
  monitor: 'tuopin',
  tuopin: 'tuopin',
  disabled: 'disabled',
};

/**
 * After a list import and after every match (which rebuilds person_status from the records alone): the proposals
 * for listed numbers no person carries are made again, then each person's special groups are recomputed.
 */
export function refreshListedGroups(db: Database.Database): number {
  refreshSubsidyCandidates(db);
  return applyListedGroups(db);
}

/**
 * After an incremental re-match, for the persons whose rows it derived again from their records (the others' rows,
 * groups included, are as the last match left them): those a list of any month or a clerk's link names are written
 * as the county's pass writes them. That pass read every person's row, 0.1 s at 1,000,000 people, for the 43,005 of
 * a replaced roll.
 */
export function refreshListedGroupsOf(db: Database.Database, derived: Iterable<number>): number {
  refreshSubsidyCandidates(db);
  return applyListedGroups(db, [...derived], true);
}

/**
 * Sets each person's special groups to those their records say plus those the departments' current lists say
 * (issue 14: who belongs comes from other departments), by ID number or by a clerk's link; persons a list no longer
 * names fall back to their records.
 *
 * `only`: these persons, not everyone a list names. `derived`: their rows were just derived from their records and
 * everyone else's are as the last pass over the county left them (same lists), so of them exactly those that pass
 * picks are written: a list of any month names them. The pass writes groups sorted, the lists' derivation in record
 * order, so even a person only an older month names is written again. With any clerk's link the county's pass runs.
 */
export function applyListedGroups(db: Database.Database, only?: readonly number[], derived = false): number {
  const listed = new Map<string, Set<SpecialGroup>>();
  for (const m of db
    .prepare(
      `SELECT m.id_number AS id, m.identities FROM subsidy_member m JOIN subsidy_list l ON l.id = m.list_id
      WHERE l.month = (SELECT max(month) FROM subsidy_list x WHERE x.department = l.department)`,
    )
    .iterate() as IterableIterator<{ id: string; identities: string }>) {
    const groups = listed.get(m.id) ?? new Set<SpecialGroup>();
    for (const i of m.identities.split(',')) {
      const g = GROUP_OF[i as Identity];
      if (g) groups.add(g);
    }
    listed.set(m.id, groups);
  }
  // Listed numbers a clerk linked to a person: their groups are that person's.
  const linked = new Map<number, Set<SpecialGroup>>();
  for (const [id, p] of confirmedLinks(db)) {
    const groups = linked.get(p) ?? new Set<SpecialGroup>();
    for (const g of listed.get(id) ?? []) groups.add(g);
    linked.set(p, groups);
  }
  // A link can come to name another person after a re-match (its record's id given to a new record, or a second
  // person carrying its number), and only the county's pass finds the person it named before (listed_groups = 1):
  // with any link, the county's pass it is.
  if (derived && linked.size) return applyListedGroups(db);
  // Anyone any month's list named: the county's pass below writes their groups again (sorted), named now or not.
  const everListed = derived
    ? new Set(db.prepare('SELECT DISTINCT id_number FROM subsidy_member').pluck().all() as string[])
    : undefined;
  if (everListed && !everListed.size) return 0;
  // Everyone a list names now, and everyone who took a group from a list before: their groups are recomputed.
  const byPerson = db.prepare(
    'SELECT person_id AS p, id_number AS id, special_groups AS g FROM person_status WHERE person_id = ?',
  );
  // A clerk's decision touches one person, a re-match some thousands: only they are recomputed (a pass over every
  // person takes a while), read 2,000 to a statement.
  const some = db.prepare(
    `SELECT person_id AS p, id_number AS id, special_groups AS g FROM person_status
    WHERE person_id IN (SELECT value FROM json_each(?))`,
  );
  let touched = only
    ? (Array.from({ length: Math.ceil(only.length / 2_000) }, (_, k) =>
        some.all(JSON.stringify(only.slice(k * 2_000, (k + 1) * 2_000))),
      ).flat() as { p: number; id: string | null; g: string | null }[])
    : (db
        .prepare(
          `SELECT person_id AS p, id_number AS id, special_groups AS g FROM person_status
          WHERE listed_groups = 1 OR id_number IN (SELECT id_number FROM subsidy_member)`,
        )
        .all() as { p: number; id: string | null; g: string | null }[]);
  // Of persons derived again (listed_groups 0), those the county's pass would pick: a list of any month names them.
  if (everListed) touched = touched.filter((r) => r.id !== null && everListed.has(r.id));
  const seen = new Set(touched.map((r) => r.p));
  if (!only)
    for (const p of linked.keys())
      if (!seen.has(p)) {
        const r = byPerson.get(p) as { p: number; id: string | null; g: string | null } | undefined;
        if (r) touched.push(r);
      }
  const fromRecords = db
    .prepare('SELECT DISTINCT special_groups FROM record WHERE person_id = ? AND special_groups IS NOT NULL')
    .pluck();
  const update = db.prepare(
    'UPDATE person_status SET special_groups = ?, special_rank = ?, listed_groups = ? WHERE person_id = ?',
  );
  let changed = 0;
  for (const r of touched.filter((x) => (x.id !== null && listed.has(x.id)) || linked.has(x.p) || x.g !== null)) {
    const groups = new Set<SpecialGroup>();
    for (const g of fromRecords.all(r.p) as string[])
      for (const x of g.split(',')) if (x) groups.add(x as SpecialGroup);
    const fromList = new Set([...((r.id !== null && listed.get(r.id)) || []), ...(linked.get(r.p) ?? [])]);
    for (const g of fromList) groups.add(g);
    const value = groups.size ? [...groups].sort().join(',') : null;
    update.run(value, specialGroupRank([...groups]), fromList.size ? 1 : 0, r.p);
    changed++;
  }
  return changed;
}
