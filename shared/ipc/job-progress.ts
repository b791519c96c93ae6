import type { MatchStage } from './jobs';

/**
 * Shares of a match's time by stage, measured on generated counties (20,000 and 100,000 people, 2026-11-27: load
 * 6–25 %, block 5–11 %, compare 1 %, estimate 20–30 %, cluster 2–4 %, persist 16–21 %, outcomes 19–37 %), averaged.
 * One bar that moves through them reads as one job; the stage name says what it is doing.
 */
const MATCH_SHARE: Record<MatchStage, number> = {
  load: 0.15,
  block: 0.08,
  compare: 0.02,
  estimate: 0.25,
  cluster: 0.03,
  persist: 0.2,
  outcomes: 0.27,
};
const MATCH_ORDER = Object.keys(MATCH_SHARE) as MatchStage[];

/** Hashing a file (for "already imported") is a small part of an import; reading the file is the rest. */
const IMPORT_HASH_SHARE = 0.02;

/**
 * The whole job's progress, 0..1, from its current stage: for an import `read` is the reader's fraction of the
 * file (all sheets together), for a match the stage's share, for an export the rows written of all rows.
 * Null when nothing can be said yet.
 */
export function overallFraction(
  channel: string,
  stage: string,
  done: number,
  total: number | null,
  readFraction: number | null = null,
): number | null {
  const within = total ? Math.min(1, done / total) : 0;
  if (channel === 'import.run') {
    if (stage === 'backup' || stage === 'start') return 0;
    if (stage === 'hash') return 0;
    if (stage === 'read')
      return readFraction === null ? null : IMPORT_HASH_SHARE + (1 - IMPORT_HASH_SHARE) * readFraction;
    return null;
  }
  if (channel === 'match.run') {
    const i = MATCH_ORDER.indexOf(stage as MatchStage);
    if (i < 0) return stage === 'start' || stage === 'backup' ? 0 : null;
    const before = MATCH_ORDER.slice(0, i).reduce((a, s) => a + MATCH_SHARE[s], 0);
    return before + MATCH_SHARE[stage as MatchStage] * within;
  }
  if (channel === 'export.run') return total ? within : stage === 'start' ? 0 : null;
  return null;
}

/**
 * Time left from the time spent and the fraction done, once there is enough of both to say something honest
 * (at least 3 % and 3 s): said in the clerk's words by `timeLeftWords`.
 */
export function secondsLeft(fraction: number | null, elapsedSeconds: number): number | null {
  if (fraction === null || fraction < 0.03 || elapsedSeconds < 3 || fraction >= 1) return null;
  return (elapsedSeconds * (1 - fraction)) / fraction;
}

export function timeLeftWords(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 10) return '即将完成';
  if (seconds < 60) return `约剩 ${Math.ceil(seconds / 10) * 10} 秒`;
  if (seconds < 3600) return `约剩 ${Math.ceil(seconds / 60)} 分钟`;
  return `约剩 ${Math.floor(seconds / 3600)} 小时 ${Math.ceil((seconds % 3600) / 60)} 分钟`;
}
