import type Database from 'better-sqlite3';
import { CanbaoError } from '../errors';
import { atRiskList, continuitySummary, personContinuity } from '../continuity/continuity-report';
import type { AtRiskRow } from '../../../shared/ipc/continuity-views';
import { todayLocal } from '../../../shared/text/clerk-format';
import type { Handlers } from './handlers';
import type { Service } from './service';

type ContinuityChannel = 'continuity.summary' | 'continuity.atRisk' | 'continuity.person';

/**
 * What the 断保风险名单 is computed from: the rolls, the match, the answers, the departments' lists and the settings.
 * The list of a county is computed once per state and day, and paged from memory (a page must not cost seconds).
 */
function stateKey(db: Database.Database, year: number | undefined): string {
  const parts = db
    .prepare(
      `SELECT (SELECT max(id) FROM match_run) AS m, (SELECT max(id) FROM verification) AS v,
        (SELECT count(*) || ':' || coalesce(max(id), 0) FROM roll) AS r,
        (SELECT count(*) || ':' || coalesce(max(id), 0) FROM subsidy_list) AS l,
        (SELECT group_concat(key || '=' || value_json) FROM setting) AS s`,
    )
    .get() as Record<string, unknown>;
  return `${Object.values(parts).join('|')}|${year ?? ''}|${todayLocal()}`;
}

const memo = new WeakMap<Database.Database, { key: string; year: number; rows: AtRiskRow[] }>();

function countyAtRisk(db: Database.Database, year: number | undefined) {
  const key = stateKey(db, year);
  const hit = memo.get(db);
  if (hit?.key === key) return hit;
  const { year: y, rows } = atRiskList(db, { year });
  const entry = { key, year: y, rows };
  memo.set(db, entry);
  return entry;
}

/** Continuity across years (issue 13): the county's numbers, the 断保风险名单 and one person's years. */
export function continuityHandlers(s: Service): Pick<Handlers, ContinuityChannel> {
  return {
    'continuity.summary': async (q) => continuitySummary(s.need().db, { year: q.year }),
    'continuity.atRisk': async (q) => {
      const { year, rows } = countyAtRisk(s.need().db, q.year);
      const text = q.text?.trim();
      const shown = rows.filter(
        (r) =>
          (!q.township || r.township === q.township) &&
          (!q.village || r.village === q.village) &&
          (!text || r.name.includes(text) || r.personId === text.toUpperCase() || r.phone.includes(text)),
      );
      return { year, total: shown.length, rows: shown.slice(q.offset, q.offset + q.limit) };
    },
    'continuity.person': async (q) => {
      const db = s.need().db;
      const id = Number(q.personId.slice(1));
      if (!db.prepare('SELECT 1 FROM person_status WHERE person_id = ?').get(id))
        throw new CanbaoError('notFound', `人员编号 ${q.personId} 不在本工作区中，请核对`);
      return personContinuity(db, id, { year: q.year });
    },
  };
}
