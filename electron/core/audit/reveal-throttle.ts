import type Database from 'better-sqlite3';

/**
 * At most REVEALS_PER_MINUTE full ID numbers per workspace per minute. A clerk checking a caller or a township's
 * query needs one to three; ten leaves room for a household. Anything more is a list, and a list with full numbers
 * is an export with mask 'full' — logged as such. Counted from the log itself, so the app and the CLI share it.
 */
export const REVEALS_PER_MINUTE = 10;
export const REVEAL_REASONS = ['核对身份', '群众来电', '乡镇核实', '其他'] as const;

/** Seconds to wait before the next reveal may be made, or 0 when it may be made now. */
export function revealWait(db: Database.Database, now = Date.now()): number {
  const recent = db
    .prepare(`SELECT at FROM audit_log WHERE action = 'revealId' ORDER BY id DESC LIMIT ?`)
    .all(REVEALS_PER_MINUTE) as { at: string }[];
  if (recent.length < REVEALS_PER_MINUTE) return 0;
  const oldest = Date.parse(recent.at(-1)!.at);
  const wait = oldest + 60_000 - now;
  return wait > 0 ? Math.ceil(wait / 1000) : 0;
}
