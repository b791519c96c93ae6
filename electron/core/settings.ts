import type Database from 'better-sqlite3';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/domain/settings';

// The settings, their bounds and labels are defined once in shared/domain/settings.ts; here they are stored.
export {
  DEFAULT_SETTINGS,
  type MatchSettings,
  type Settings,
  type WorkspaceSettings,
} from '../../shared/domain/settings';

/** Stored per workspace in the setting table; a missing key means the default (the county: as detected from the rolls). */
export function readSettings(db: Database.Database): Settings {
  const detected = db.prepare(`SELECT value FROM meta WHERE key = 'detectedCounty'`).get() as
    { value: string } | undefined;
  const s: Settings = { ...DEFAULT_SETTINGS, countyName: detected?.value ?? '' };
  for (const row of db.prepare('SELECT key, value_json FROM setting').all() as { key: string; value_json: string }[]) {
    if (row.key in s) (s as unknown as Record<string, unknown>)[row.key] = JSON.parse(row.value_json);
  }
  return s;
}

export function writeSetting<K extends keyof Settings>(db: Database.Database, key: K, value: Settings[K]): void {
  db.prepare('INSERT OR REPLACE INTO setting (key, value_json) VALUES (?, ?)').run(key, JSON.stringify(value));
}
