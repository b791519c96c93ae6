/**
 * The one contract between the renderer and the engine: channel → zod schema of the request, and the response type.
 * Electron's main process and the test harness both parse every request with these schemas before doing anything.
 */
import { z } from 'zod';
import type { IdStatus, RollKind } from '../domain/types';
import type { Field } from '../headers/fields';
import { CHANNELS as CHANNEL_NAMES, type ChannelName } from './channels';

const rollKind = z.enum(['population', 'employee', 'resident_rural', 'resident_urban']);
const mask = z.enum(['full', '6-4', '3-4']);
const verdict = z.enum(['same', 'different']);
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(5000).default(200) };
const path = z.string().min(1).max(4096);
const mapping = z.record(z.string(), z.number().int().min(0).max(16383));

export const REQUESTS = {
  'workspace.recent': z.object({}),
  'workspace.open': z.object({ path, create: z.boolean().default(false) }),
  'workspace.status': z.object({}),
  'import.preview': z.object({ path, encoding: z.enum(['utf8', 'gb18030']).optional(), headerRow: z.number().int().min(1).optional() }),
  'import.run': z.object({
    path, kind: rollKind, year: z.number().int().min(2000).max(2100), sheets: z.array(z.string()).optional(),
    encoding: z.enum(['utf8', 'gb18030']).optional(), headerRow: z.number().int().min(1).optional(), mapping: mapping.optional(),
  }),
  'match.run': z.object({ year: z.number().int().min(2000).max(2100).optional() }),
  'job.cancel': z.object({ jobId: z.string().min(1).max(100) }),
  'review.list': z.object({ ...page }),
  // By record ids, not the queue's pair id: going back to a decided pair (whose queue entry is gone) and changing
  // the verdict must work.
  'review.decide': z.object({ recordA: z.number().int().min(1), recordB: z.number().int().min(1), verdict }),
  'results.list': z.object({ list: z.enum(['persons', 'duplicates', 'uninsured', 'notInBase', 'issues']), township: z.string().optional(), village: z.string().optional(), specialOnly: z.boolean().default(false), ...page }),
  'results.places': z.object({}),
  'results.rates': z.object({}),
  'search.find': z.object({ query: z.string().min(1).max(100) }),
  'id.reveal': z.object({ recordId: z.number().int().min(1) }),
  'export.run': z.object({ dir: path, what: z.array(z.enum(['ledger', 'duplicates', 'persons', 'rates', 'linkage', 'issues'])).min(1), townships: z.array(z.string()).optional(), mask, format: z.enum(['xlsx', 'csv']).default('xlsx') }),
  'audit.list': z.object({ beforeId: z.number().int().optional(), limit: z.number().int().min(1).max(1000).default(200) }),
  'settings.actor': z.object({ name: z.string().min(1).max(40) }),
  'settings.get': z.object({}),
  'settings.set': z.object({ countyName: z.string().max(30).optional(), targetRate: z.number().min(0.5).max(1).optional() }),
} as const satisfies Record<ChannelName, z.ZodType>;

export type Channel = keyof typeof REQUESTS;
// Both directions: every channel name has a schema (above) and every schema has a name.
const _everySchemaNamed: ChannelName = '' as Channel;
void _everySchemaNamed;
export type Request<C extends Channel> = z.input<(typeof REQUESTS)[C]>;
export type ParsedRequest<C extends Channel> = z.output<(typeof REQUESTS)[C]>;

export interface RollSummary { id: number; file: string; sheet: string; kind: RollKind; year: number; rows: number; rowsRead: number; skipped: number; importedAt: string }

/** What a workspace holds and where its reconciliation stands (also what `canbao status` reports). */
export interface WorkspaceStatus {
  records: number;
  rolls: RollSummary[];
  idStatus: Record<IdStatus, number>;
  qualityIssues: number;
  /** Whether a match has run, and whether records were imported since (the lists are then out of date). */
  matched: boolean;
  unmatchedRecords: number;
  persons: number;
  duplicates: number;
  uninsured: number;
  notInBase: number;
  reviewPending: number;
}

export interface StatusResponse extends WorkspaceStatus {
  path: string | null;
  actor: string;
}

export interface PreviewSheet {
  name: string;
  headerRow: number | null;
  header: string[];
  mapping: Partial<Record<Field, number>>;
  /** The first data rows as shown, with the problems found in each cell. */
  rows: { rowNumber: number; cells: string[]; problems: { column: number | null; message: string }[]; skipped: string | null }[];
}
/** `sheets` previews the first sheet(s); `sheetNames` lists every sheet of the file, for the clerk to choose from. */
export interface PreviewResponse { file: string; format: string; encoding: string | null; sheets: PreviewSheet[]; sheetNames: string[] }

export interface JobStarted { jobId: string }
export interface ProgressEvent { jobId: string; stage: string; done: number; total: number | null; label: string }
export interface JobDoneEvent { jobId: string; ok: boolean; result?: unknown; error?: { kind: string; message: string } }

export interface MaskedRecord {
  recordId: number; kind: RollKind; file: string; sheet: string; row: number; name: string; idMasked: string; idStatus: string;
  birthDate: string | null; gender: string | null; township: string | null; village: string | null; householdNo: string | null; householdHead: string | null; category: string | null;
}
export interface ReviewPairView {
  id: number; weight: number; probability: number; impactLabel: string; siblingRisk: boolean; prior: number;
  contributions: { field: string; fieldLabel: string; level: string; levelLabel: string; weight: number }[];
  a: MaskedRecord; b: MaskedRecord;
}
export interface ReviewListResponse { pending: number; pairs: ReviewPairView[] }

export interface ResultRow {
  personId: string; name: string; idMasked: string; recordId: number | null; township: string | null; village: string | null;
  detail: string; special: string; kind?: string;
}
export interface ResultsResponse { total: number; rows: ResultRow[] }
export interface PlacesResponse { townships: { name: string; villages: string[] }[] }
export interface RateRowView { township: string; village: string | null; base: number; insured: number; uninsured: number; rate: number }
export interface RatesResponse { target: number; county: RateRowView; townships: RateRowView[]; villages: RateRowView[] }
export interface SearchHitView {
  personId: string; name: string; idMasked: string; township: string | null; village: string | null; inBase: boolean; insured: boolean; duplicate: string | null;
  records: { recordId: number; kind: RollKind; year: number; file: string; sheet: string; row: number; name: string; idMasked: string; village: string | null; linkRule: string }[];
}
export interface AuditRow { id: number; at: string; actor: string; action: string; summary: string }
export interface ExportFileView { file: string; rows: number; sheets: number }

export interface Responses {
  'workspace.recent': { paths: string[] };
  'workspace.open': StatusResponse;
  'workspace.status': StatusResponse;
  'import.preview': PreviewResponse;
  'import.run': JobStarted;
  'match.run': JobStarted;
  'job.cancel': { cancelled: boolean };
  'review.list': ReviewListResponse;
  'review.decide': { pending: number };
  'results.list': ResultsResponse;
  'results.places': PlacesResponse;
  'results.rates': RatesResponse;
  'search.find': { hits: SearchHitView[] };
  'id.reveal': { id: string };
  'export.run': JobStarted;
  'audit.list': { rows: AuditRow[] };
  'settings.actor': { actor: string };
  'settings.get': SettingsView;
  'settings.set': SettingsView;
}

/** The workspace settings a clerk edits on screen (matching thresholds and duplicate rules stay at national defaults). */
export interface SettingsView { countyName: string; targetRate: number }

export type Response<C extends Channel> = Responses[C];
export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;

/** Events pushed from the engine to the renderer. */
export type EngineEvent = { type: 'progress'; event: ProgressEvent } | { type: 'done'; event: JobDoneEvent };

/** What the preload exposes as window.api (and the browser harness client implements): one function per channel. */
export type CanbaoApi = { [C in Channel]: (request: Request<C>) => Promise<Response<C>> } & {
  onEvent(listener: (e: EngineEvent) => void): () => void;
  /** A path the engine can read for a file the clerk dropped or picked (Electron: its path; harness: an upload). */
  pathForFile(file: File): Promise<string>;
  /** Folder chooser (Electron dialog; harness: a fixed folder of its own). */
  chooseFolder(): Promise<string | null>;
  /** Opens a folder in the OS file manager (Electron only; no-op in the harness). */
  openFolder(path: string): Promise<void>;
};
