import type Database from 'better-sqlite3';
import { EMPTY_TALLY, type ParticipationTally } from '../../../shared/domain/participation';
import { readSettings } from '../settings';
import { villageTallies } from './participation';

/** Why the numbers changed: a match (new rolls, decisions), a 下发, or returned answers. */
export type SnapshotReason = 'match' | 'dispatch' | 'returns';

const TALLY_KEYS = Object.keys(EMPTY_TALLY) as (keyof ParticipationTally)[];

export interface Snapshot {
  id: number;
  takenAt: string;
  reason: SnapshotReason;
  villages: { township: string; village: string; tally: ParticipationTally }[];
}

/**
 * Stores every village's counts as they are now (a few thousand villages in a county: one JSON row), so progress can
 * be compared with an earlier day and drawn as a trend.
 */
export function takeSnapshot(db: Database.Database, reason: SnapshotReason, at = new Date()): void {
  const rows: unknown[][] = [];
  for (const [k, t] of villageTallies(db, readSettings(db))) {
    const [township, village] = k.split('\u001f');
    rows.push([township, village, ...TALLY_KEYS.map((x) => t[x])]);
  }
  db.prepare('INSERT INTO rate_snapshot (taken_at, reason, rows_json) VALUES (?, ?, ?)').run(
    at.toISOString(),
    reason,
    JSON.stringify(rows),
  );
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
