import type Database from 'better-sqlite3';
import {
  DEFAULT_CONTRIBUTION,
  DEFAULT_TIERS,
  IDENTITIES,
  type Identity,
  type SubsidyTier,
  type TierKind,
} from '../../../shared/domain/subsidy';

export interface YearTable {
  year: number;
  contribution: number;
  tiers: Record<Identity, SubsidyTier>;
}

/**
 * The identity table of a year. A year never set is the latest earlier year's table (a county changes a few amounts
 * each year, not the table), or the defaults; it is written when the clerk first changes it (readers, such as an
 * export's read-only second thread, never write).
 */
export function yearTable(db: Database.Database, year: number): YearTable {
  const from = db
    .prepare('SELECT year, contribution FROM subsidy_year WHERE year <= ? ORDER BY year DESC LIMIT 1')
    .get(year) as { year: number; contribution: number } | undefined;
  if (!from) return { year, contribution: DEFAULT_CONTRIBUTION, tiers: { ...DEFAULT_TIERS } };
  const tiers = { ...DEFAULT_TIERS };
  for (const t of db.prepare('SELECT identity, kind, value FROM subsidy_tier WHERE year = ?').all(from.year) as {
    identity: Identity;
    kind: TierKind;
    value: number;
  }[])
    if ((IDENTITIES as readonly string[]).includes(t.identity)) tiers[t.identity] = { kind: t.kind, value: t.value };
  return { year, contribution: from.contribution, tiers };
}

export function writeYearTable(db: Database.Database, t: YearTable): void {
  db.transaction(() => {
    db.prepare('INSERT OR REPLACE INTO subsidy_year (year, contribution) VALUES (?, ?)').run(t.year, t.contribution);
    const put = db.prepare('INSERT OR REPLACE INTO subsidy_tier (year, identity, kind, value) VALUES (?, ?, ?, ?)');
    for (const i of IDENTITIES) put.run(t.year, i, t.tiers[i].kind, t.tiers[i].value);
  })();
}
