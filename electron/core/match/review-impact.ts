import type Database from 'better-sqlite3';

export interface Impact {
  rank: number;
  label: string;
}

/**
 * How much a clerk's verdict on a pair would change the lists: pairs that could take someone off the uninsured
 * ledger come first, then those that could make or unmake a duplicate enrolment, then not-in-base.
 */
export function reviewImpact(db: Database.Database, year: number): (recordA: number, recordB: number) => Impact {
  const info = db.prepare(`SELECT c.person_id AS person, r.kind, r.year, s.in_base AS inBase, s.insured
    FROM record c JOIN roll r ON r.id = c.roll_id LEFT JOIN person_status s ON s.person_id = c.person_id WHERE c.id = ?`);
  type Info = { person: number; kind: string; year: number; inBase: number | null; insured: number | null };
  return (ra, rb) => {
    const a = info.get(ra) as Info,
      b = info.get(rb) as Info;
    const enrolA = a.kind !== 'population' && a.year === year;
    const enrolB = b.kind !== 'population' && b.year === year;
    const uninsuredSide = (x: Info, otherEnrols: boolean) => x.inBase === 1 && x.insured === 0 && otherEnrols;
    if (uninsuredSide(a, enrolB) || uninsuredSide(b, enrolA)) return { rank: 3, label: '影响未参保名单' };
    if (enrolA && enrolB) return { rank: 2, label: '影响重复参保名单' };
    if ((a.inBase === 0 && b.inBase === 1) || (a.inBase === 1 && b.inBase === 0))
      return { rank: 1, label: '影响不在底册名单' };
    return { rank: 0, label: '不影响名单' };
  };
}
