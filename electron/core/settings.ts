import type Database from 'better-sqlite3';

/**
 * Rules that differ by place, kept as settings with national defaults (DESIGN §1), never as scattered constants.
 * Stored per workspace in the setting table; a missing key means the default.
 */
export interface WorkspaceSettings {
  /** County (区、市) name in export titles; detected from the rolls' title rows until the clerk sets it. */
  countyName: string;
  /** Participation-rate target drawn on the chart and marked in the rates table (national goal: 95%). */
  targetRate: number;
}

export interface MatchSettings {
  /** Match weight (bits) at or above which a pair links automatically. */
  linkWeight: number;
  /** Match weight at or above which a pair that does not link goes to the clerk's review queue. */
  reviewWeight: number;
  /** Employee insurance prevails over resident insurance in the same year (national rule). */
  employeeWins: boolean;
  /** Which of two resident enrolments stays: the one in the person's registered (base) village, or the earliest imported. */
  residentKeep: 'baseVillage' | 'earliest';
  /** Whether a cancelled resident enrolment is refunded (shown on the duplicates list). */
  refundCancelledResident: boolean;
  /** Random record pairs drawn to estimate u probabilities. */
  randomPairs: number;
}

export type Settings = WorkspaceSettings & MatchSettings;

export const DEFAULT_SETTINGS: Settings = {
  countyName: '',
  targetRate: 0.95,
  linkWeight: 7,
  reviewWeight: 0,
  employeeWins: true,
  residentKeep: 'baseVillage',
  refundCancelledResident: true,
  randomPairs: 400_000,
};

export function readSettings(db: Database.Database): Settings {
  const detected = db.prepare(`SELECT value FROM meta WHERE key = 'detectedCounty'`).get() as { value: string } | undefined;
  const s: Settings = { ...DEFAULT_SETTINGS, countyName: detected?.value ?? '' };
  for (const row of db.prepare('SELECT key, value_json FROM setting').all() as { key: string; value_json: string }[]) {
    if (row.key in s) (s as unknown as Record<string, unknown>)[row.key] = JSON.parse(row.value_json);
  }
  return s;
}

export function writeSetting<K extends keyof Settings>(db: Database.Database, key: K, value: Settings[K]): void {
  db.prepare('INSERT OR REPLACE INTO setting (key, value_json) VALUES (?, ?)').run(key, JSON.stringify(value));
}
