/**
 * One way to write numbers and times on every page: counts with thousands separators as a clerk reads them in
 * Excel (12,345), times as 2026-11-27 10:05 in the PC's own time zone (what the wall clock said), never ISO's "T"
 * or UTC.
 */
const COUNT = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0, useGrouping: true });

export function formatCount(n: number): string {
  return Number.isFinite(n) ? COUNT.format(n) : '—';
}

/** A share (0.953 → "95.3%"); `digits` after the point. */
export function formatPercent(share: number, digits = 1): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(digits)}%` : '—';
}

const two = (n: number) => String(n).padStart(2, '0');

/** An instant (ISO text or Date) as local "2026-11-27 10:05"; text that is no date is shown as it is. */
export function formatDateTime(at: string | Date): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return String(at);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A file's size as the backup list and `canbao backup` say it: 1.2 MB, or whole KB (at least 1). */
export function formatFileSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** A moment in local time to the second (2026-11-27 10:05:09): backups made a minute apart must read apart. */
export function formatDateTimeSeconds(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Today's date on the PC's own calendar (2026-11-27): what a clerk means by "today", not UTC's. */
export function todayLocal(now = new Date()): string {
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}
