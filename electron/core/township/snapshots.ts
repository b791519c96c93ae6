import type Database from 'better-sqlite3';
import { EMPTY_TALLY, type ParticipationTally } from '../../../shared/domain/participation';
import { readSettings } from '../settings';
import type { BaseSettings } from '../../../shared/domain/verification';
import { villageTallies } from './participation';
import type { RoundTripFacts } from './round-trip-facts';

/** Why the numbers changed: a match (new rolls, decisions), a 下发, or returned answers. */
export type SnapshotReason = 'match' | 'dispatch' | 'returns' | 'settings';

const TALLY_KEYS = Object.keys(EMPTY_TALLY) as (keyof ParticipationTally)[];

export interface Snapshot {
  id: number;
  takenAt: string;
  reason: SnapshotReason;
  villages: { township: string; village: string; tally: ParticipationTally }[];
}

/**
 * Stores every village's counts as they are now (a few thousand villages in a county: one JSON row), so progress can
 * be compared with an earlier day and drawn as a trend. `facts`: the round-trip as the caller holds it, up to date.
 */
export function takeSnapshot(
  db: Database.Database,
  reason: SnapshotReason,
  at = new Date(),
  facts?: RoundTripFacts,
): void {
  const rows: unknown[][] = [];
  const settings = readSettings(db);
  for (const [k, t] of villageTallies(db, settings, facts)) {
    const [township, village] = k.split('\u001f');
    rows.push([township, village, ...TALLY_KEYS.map((x) => t[x])]);
  }
  db.prepare('INSERT INTO rate_snapshot (taken_at, reason, rows_json, state_key) VALUES (?, ?, ?, ?)').run(
    at.toISOString(),
    reason,
    JSON.stringify(rows),
    stateKey(db, settings),
  );
}

/**
 * What the rates are computed from, in one short key: the last match, the answers, the finished batches, the rolls,
 * the kept base part and the two settings that move persons out of the base. Each part is a max or count over a
 * small table or a primary key, so the key costs microseconds where the counts cost seconds at a million persons.
 */
export function stateKey(db: Database.Database, s: BaseSettings): string {
  const parts = db
    .prepare(
      `SELECT (SELECT max(id) FROM match_run) AS m, (SELECT max(id) FROM verification) AS v,
        (SELECT count(*) || ':' || coalesce(max(id), 0) FROM dispatch_batch WHERE state = 'done') AS d,
        (SELECT count(*) || ':' || coalesce(max(id), 0) FROM roll) AS r, (SELECT count(*) FROM village_base) AS b`,
    )
    .get() as Record<string, unknown>;
  return `${Object.values(parts).join('|')}|${s.removeAbroad ? 1 : 0}${s.removeMissing ? 1 : 0}`;
}

/** The tallies of the latest snapshot, when it was taken from the state the workspace is in now; else null. */
export function currentTallies(db: Database.Database, s: BaseSettings): Map<string, ParticipationTally> | null {
  const r = db
    .prepare(
      `SELECT id, taken_at AS takenAt, reason, rows_json AS rows, state_key AS key FROM rate_snapshot ORDER BY id DESC LIMIT 1`,
    )
    .get() as (Parameters<typeof parse>[0] & { key: string | null }) | undefined;
  if (!r || r.key !== stateKey(db, s)) return null;
  return new Map(parse(r).villages.map((v) => [`${v.township}\u001f${v.village}`, v.tally]));
}

function parse(r: { id: number; takenAt: string; reason: SnapshotReason; rows: string }): Snapshot {
  return {
    id: r.id,
    takenAt: r.takenAt,
    reason: r.reason,
    villages: (JSON.parse(r.rows) as unknown[][]).map((x) => ({
      township: x[0] as string,
      village: x[1] as string,
      tally: Object.fromEntries(TALLY_KEYS.map((k, i) => [k, x[i + 2] as number])) as unknown as ParticipationTally,
    })),
  };
}

const SELECT = `SELECT id, taken_at AS takenAt, reason, rows_json AS rows FROM rate_snapshot`;

/**
 * The snapshot a bulletin compares with (较上期): the last one taken before `before` (an ISO day: the last of an
 * earlier day than today, so two matches in one morning do not make each other the 上期), or null.
 */
export function previousSnapshot(db: Database.Database, before: string): Snapshot | null {
  const r = db.prepare(`${SELECT} WHERE taken_at < ? ORDER BY taken_at DESC, id DESC LIMIT 1`).get(before) as
    Parameters<typeof parse>[0] | undefined;
  return r ? parse(r) : null;
}

/** The last snapshot of each day, oldest first: one point per day on the trend lines. */
export function dailySnapshots(db: Database.Database, limit = 60): Snapshot[] {
  const rows = db
    .prepare(
      `${SELECT} WHERE id IN (SELECT max(id) FROM rate_snapshot GROUP BY date(taken_at, 'localtime'))
      ORDER BY taken_at DESC LIMIT ?`,
    )
    .all(limit) as Parameters<typeof parse>[0][];
  return rows.map(parse).reverse();
}
