import type { SubsidySummaryView } from '../../../shared/ipc/contract';
import type Database from 'better-sqlite3';
import { highestIdentity, parseIdentities, personalPayment, type Identity } from '../../../shared/domain/subsidy';
import { effectOf } from '../../../shared/domain/verification';
import { readSettings } from '../settings';
import { roundTripFacts } from '../township/round-trip-facts';
import { confirmedLinks, linksToConfirm } from './subsidy-links';
import { yearTable } from './subsidy-tiers';

/** Where a listed person stands (R4.7). */
export type ListedStatus = 'insured' | 'employee' | 'elsewhere' | 'uninsured' | 'diedBeforeYear';

export interface ListedPerson {
  idNumber: string;
  name: string;
  identities: Identity[];
  highest: Identity;
  /** The departments whose current list names the person. */
  departments: string[];
  personId: number | null;
  status: ListedStatus;
  /** The identity the enrolment was subsidised as, when a resident roll says (资助类别 / 人员类别). */
  subsidisedAs: Identity | null;
  /** The enrolment's subsidy is not the person's highest identity (R4.4), or none where one is due, or the amount
   * paid is not what the year's table asks of that identity. */
  wrongSubsidy: boolean;
  /** What the person paid, when a resident roll carries 缴费金额; and what the year's table asks of them. */
  paid: number | null;
  expectedPayment: number;
  /** 参保地 from a township's answer, for 县外参保 (R4.7c). */
  elsewherePlace: string | null;
}

/** The contract's view is the engine's result: one type, from the database to the screen. */
export type SubsidySummary = SubsidySummaryView;

const RESIDENT = `r.kind IN ('resident_rural', 'resident_urban')`;

/**
 * Checks every person on the departments' current lists (R4.7): insured somewhere (本县职工 needs no subsidy;
 * 县外参保 as a township answered, with the place), subsidised at the highest identity once, dead before the year
 * (a township's 死亡 answer dated before 1 January); and subsidised enrolments of persons on no list.
 */
export function subsidyChecks(db: Database.Database): { summary: SubsidySummary; persons: ListedPerson[] } {
  const year =
    (db.prepare('SELECT year FROM match_run ORDER BY id DESC LIMIT 1').pluck().get() as number | undefined) ??
    new Date().getFullYear();
  const lists = db
    .prepare(
      `SELECT l.id, l.department, l.month, l.rows FROM subsidy_list l
      WHERE l.month = (SELECT max(month) FROM subsidy_list x WHERE x.department = l.department) ORDER BY l.department`,
    )
    .all() as { id: number; department: string; month: string; rows: number }[];
  const members = new Map<string, { name: string; identities: Set<Identity>; departments: string[] }>();
  const read = db.prepare('SELECT id_number AS id, name, identities FROM subsidy_member WHERE list_id = ?');
  for (const l of lists)
    for (const m of read.all(l.id) as { id: string; name: string; identities: string }[]) {
      const had = members.get(m.id) ?? { name: m.name, identities: new Set<Identity>(), departments: [] };
      for (const i of m.identities.split(',')) had.identities.add(i as Identity);
      had.departments.push(l.department);
      members.set(m.id, had);
    }
  // Persons by ID number, in one pass (person_status is rebuilt by every match and carries no index on it).
  const persons = new Map<string, { personId: number; insured: number; kinds: string | null }>();
  if (members.size)
    for (const p of db
      .prepare(
        `SELECT person_id AS personId, id_number AS id, insured, insured_kinds AS kinds FROM person_status
        WHERE id_number IS NOT NULL`,
      )
      .iterate() as IterableIterator<{ personId: number; id: string; insured: number; kinds: string | null }>)
      if (members.has(p.id)) persons.set(p.id, p);
  // Listed numbers no person carries, which a clerk linked to a person (a department's typo, an old number).
  const byPerson = db.prepare(
    'SELECT person_id AS personId, insured, insured_kinds AS kinds FROM person_status WHERE person_id = ?',
  );
  for (const [id, personId] of confirmedLinks(db))
    if (members.has(id) && !persons.has(id)) {
      const p = byPerson.get(personId) as { personId: number; insured: number; kinds: string | null } | undefined;
      if (p) persons.set(id, p);
    }
  // The identity each resident enrolment was subsidised as, from rolls that carry the column at all.
  const subsidised = new Map<number, Identity | null>();
  for (const r of db
    .prepare(
      `SELECT c.person_id AS p, c.category FROM record c JOIN roll r ON r.id = c.roll_id
      WHERE ${RESIDENT} AND r.year = ? AND r.mapping_json LIKE '%"category"%' AND c.person_id IS NOT NULL`,
    )
    .iterate(year) as IterableIterator<{ p: number; category: string | null }>) {
    const as = highestIdentity(parseIdentities(r.category ?? ''));
    const had = subsidised.get(r.p);
    subsidised.set(r.p, had === undefined ? as : (highestIdentity([had, as].filter(Boolean) as Identity[]) ?? null));
  }
  // What each resident enrolment paid, from rolls that carry 缴费金额 (the raw row keeps the cell by its column).
  const paid = new Map<number, number>();
  for (const roll of db
    .prepare(`SELECT id, mapping_json AS m FROM roll r WHERE ${RESIDENT} AND r.year = ?`)
    .all(year) as { id: number; m: string }[]) {
    const col = (JSON.parse(roll.m) as Record<string, number>).payAmount;
    if (col === undefined) continue;
    for (const r of db
      .prepare(
        `SELECT person_id AS p, json_extract(raw_json, ?) AS v FROM record WHERE roll_id = ? AND person_id IS NOT NULL`,
      )
      .iterate(`$[${col}]`, roll.id) as IterableIterator<{ p: number; v: unknown }>) {
      const amount = Number(String(r.v ?? '').replace(/[,，元\s]/g, ''));
      if (String(r.v ?? '').trim() !== '' && Number.isFinite(amount) && !paid.has(r.p)) paid.set(r.p, amount);
    }
  }
  const table = yearTable(db, year);
  const facts = roundTripFacts(db);
  const settings = readSettings(db);
  const answer = db.prepare('SELECT death_date AS death, place FROM verification WHERE id = ?');
  const out: ListedPerson[] = [];
  const listedPersonIds = new Set<number>();
  for (const [idNumber, m] of members) {
    const p = persons.get(idNumber);
    if (p) listedPersonIds.add(p.personId);
    const identities = [...m.identities];
    const highest = highestIdentity(identities)!;
    const a = p ? facts.answers.get(p.personId) : undefined;
    const said = a ? (answer.get(a.verificationId) as { death: string | null; place: string | null }) : undefined;
    const effect = a ? effectOf(a.code, settings) : null;
    let status: ListedStatus;
    if (a?.code === '06' && said?.death && said.death < `${year}-01-01`) status = 'diedBeforeYear';
    else if (p?.insured) status = (p.kinds ?? '') === 'E' ? 'employee' : 'insured';
    else if (effect === 'elsewhere') status = 'elsewhere';
    else status = 'uninsured';
    const as = p && subsidised.has(p.personId) ? subsidised.get(p.personId)! : null;
    const expectedPayment = personalPayment(table.contribution, table.tiers[highest]);
    const paidHere = p && status === 'insured' ? (paid.get(p.personId) ?? null) : null;
    const wrong =
      status === 'insured' &&
      p !== undefined &&
      ((subsidised.has(p.personId) && as !== highest) ||
        (paidHere !== null && Math.abs(paidHere - expectedPayment) > 0.5));
    out.push({
      idNumber,
      name: m.name,
      identities,
      highest,
      departments: m.departments,
      personId: p?.personId ?? null,
      status,
      subsidisedAs: as,
      wrongSubsidy: wrong,
      paid: paidHere,
      expectedPayment,
      elsewherePlace: status === 'elsewhere' ? (said?.place ?? null) : null,
    });
  }
  let unlisted = 0;
  for (const [p, as] of subsidised) if (as && !listedPersonIds.has(p)) unlisted++;
  const changes = db
    .prepare(
      `SELECT kind, count(*) AS n FROM subsidy_change WHERE list_id IN (${lists.map(() => '?').join(',') || 'NULL'})
      GROUP BY kind`,
    )
    .all(...lists.map((l) => l.id)) as { kind: string; n: number }[];
  const changed = (k: string) => changes.find((c) => c.kind === k)?.n ?? 0;
  const count = (s: ListedStatus) => out.filter((x) => x.status === s).length;
  return {
    summary: {
      year,
      lists: lists.map((l) => ({ department: l.department, month: l.month, rows: l.rows })),
      listed: out.length,
      insured: count('insured') + count('employee'),
      insuredEmployee: count('employee'),
      insuredElsewhere: count('elsewhere'),
      uninsured: count('uninsured'),
      diedBeforeYear: count('diedBeforeYear'),
      wrongSubsidy: out.filter((x) => x.wrongSubsidy).length,
      unlistedSubsidised: unlisted,
      added: changed('added'),
      changed: changed('changed'),
      cancelled: changed('cancelled'),
      toConfirm: linksToConfirm(db),
    },
    persons: out,
  };
}
