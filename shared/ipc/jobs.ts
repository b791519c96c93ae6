/**
 * Long jobs (import, match, export, and the jobs later issues add): each answers its request at once with a job id,
 * then reports progress events and ends with one done event carrying either its typed result (a zod schema here,
 * so the renderer and the CLI read it without casts) or the error envelope. Cancel goes through `job.cancel`.
 */
import { z } from 'zod';
import { ID_STATUSES, ROLL_KINDS } from '../domain/types';
import type { ErrorEnvelope } from './errors';

const count = z.number().int().min(0);

export const IMPORT_RESULT = z.object({
  file: z.string(),
  format: z.string(),
  encoding: z.string().nullable(),
  sha256: z.string(),
  kind: z.enum(ROLL_KINDS),
  year: z.number().int(),
  sheets: z.array(
    z.object({
      sheet: z.string(),
      rollId: z.number().int(),
      headerRow: z.number().int(),
      signature: z.string(),
      mapping: z.record(z.string(), z.number().int()),
      township: z.string().nullable(),
      rowsRead: count,
      imported: count,
      skipped: z.record(z.string(), count),
      idStatus: z.record(z.enum(ID_STATUSES), count),
      issues: count,
    }),
  ),
  skippedSheets: z.array(z.object({ sheet: z.string(), reason: z.string() })),
  records: count,
  issues: count,
});

export const MATCH_RESULT = z.object({
  year: z.number().int(),
  records: count,
  candidatePairs: count,
  links: count,
  persons: count,
  basePersons: count,
  duplicates: count,
  uninsured: count,
  notInBase: count,
  reviewPending: count,
  personsCreated: count,
  personsRetired: count,
  /** Blocks too common to pair one by one (a region code and a common name), per blocking key: counted, not compared. */
  capped: z.array(z.object({ key: z.string(), label: z.string(), blocks: count, records: count })),
  seconds: z.number(),
  /** 'incremental': only what changed since the last match was compared and re-clustered (issue 15). */
  mode: z.enum(['full', 'incremental']),
  /** Records added or removed since the last match (0 in a full match). */
  changedRecords: count,
  /** Records whose person was worked out again. */
  reclustered: count,
});

export const EXPORT_FILE = z.object({
  file: z.string(),
  kind: z.string(),
  township: z.string().nullable(),
  rows: count,
  sheets: count,
  sha256: z.string(),
});

export const EXPORT_RESULT = z.object({ dir: z.string(), files: z.array(EXPORT_FILE) });

export const DISPATCH_RESULT = z.object({
  dir: z.string(),
  batchNo: z.string(),
  dispatchedAt: z.string(),
  persons: count,
  townships: z.array(z.object({ township: z.string(), persons: count })),
  files: z.array(EXPORT_FILE),
});

export const RETURNS_RESULT = z.object({
  files: z.array(z.object({ file: z.string(), sheets: count, rows: count, skippedSheets: z.array(z.string()) })),
  rows: count,
  applied: count,
  unchanged: count,
  unanswered: count,
  /** Every row neither applied nor unchanged nor unanswered, where it is and what to do. */
  problems: z.array(
    z.object({ file: z.string(), sheet: z.string(), row: z.number().int(), column: z.string(), message: z.string() }),
  ),
  byCategory: z.record(z.string(), count),
});

export const SUBSIDY_IMPORT_RESULT = z.object({
  file: z.string(),
  department: z.string(),
  month: z.string(),
  rows: count,
  added: count,
  changed: count,
  cancelled: count,
  replaced: z.boolean(),
});

export const JOB_RESULTS = {
  'import.run': IMPORT_RESULT,
  'match.run': MATCH_RESULT,
  'export.run': EXPORT_RESULT,
  'dispatch.run': DISPATCH_RESULT,
  'returns.import': RETURNS_RESULT,
  'subsidy.import': SUBSIDY_IMPORT_RESULT,
} as const;
export type JobChannel = keyof typeof JOB_RESULTS;
export type JobResult<C extends JobChannel> = z.output<(typeof JOB_RESULTS)[C]>;
export type ImportResult = JobResult<'import.run'>;
export type MatchResult = JobResult<'match.run'>;
export type ExportResult = JobResult<'export.run'>;
export type ExportFileView = z.output<typeof EXPORT_FILE>;
export type DispatchJobResult = JobResult<'dispatch.run'>;
export type ReturnsJobResult = JobResult<'returns.import'>;

export interface JobStarted {
  jobId: string;
}
export interface ProgressEvent {
  jobId: string;
  stage: string;
  /** Within the stage (rows of a sheet, pairs compared…), as the CLI prints it. */
  done: number;
  total: number | null;
  label: string;
  /** The whole job, 0..1, across sheets and stages (shared/ipc/job-progress.ts); null when it cannot be said yet. */
  overall: number | null;
  /** Estimated from the time spent and `overall`; null until it can be said honestly. */
  secondsLeft: number | null;
}
export type JobDoneEvent =
  | { [C in JobChannel]: { jobId: string; channel: C; ok: true; result: JobResult<C> } }[JobChannel]
  | { jobId: string; channel: JobChannel; ok: false; error: ErrorEnvelope };

/** Events pushed from the engine to the renderer (and the CLI). */
export type EngineEvent = { type: 'progress'; event: ProgressEvent } | { type: 'done'; event: JobDoneEvent };

/** The names of the matcher's stages, shown in progress bars and on the command line. */
export const MATCH_STAGE_LABEL = {
  load: '读取记录',
  block: '生成候选对',
  compare: '逐项比较',
  estimate: '估计参数',
  cluster: '归并人员',
  persist: '写入结果',
  outcomes: '生成名单',
} as const;
export type MatchStage = keyof typeof MATCH_STAGE_LABEL;

/** What a job's first progress event is labelled with. */
export const JOB_LABEL: Record<JobChannel, string> = {
  'import.run': '导入',
  'match.run': '比对',
  'export.run': '导出',
  'dispatch.run': '下发台账',
  'returns.import': '导入核实回执',
  'subsidy.import': '导入资助名单',
};
