import type { MaskProfile } from '../../../shared/export/mask';
import type { WrittenFile } from './village-workbook';
import { basename } from 'node:path';

/** The manifest of one export: written last, so its presence says every file it lists is complete. */
export interface ExportManifest {
  version: 1;
  workspace: string;
  exportedAt: string;
  actor: string;
  /**
   * The audit log's chain head after this export's own entry: `canbao audit --verify --manifest` ties the files (and a
   * printed ledger) to the log.
   */
  auditHead: { id: number; hash: string } | null;
  options: {
    what: string[];
    mask: MaskProfile;
    townships: string[] | null;
    format: 'xlsx' | 'csv';
    /** The 下发批次 the ledgers were dispatched in. */
    batchNo?: string;
  };
  files: { file: string; kind: string; township: string | null; rows: number; sha256: string }[];
}

/** The name carries the time so successive exports into one folder keep their own manifests. */
export function manifestName(at: Date): string {
  return `导出清单-${at.toISOString().replace(/[:.]/g, '-')}.json`;
}

/** Builds the manifest. */
export function buildManifest(p: {
  workspace: string;
  at: Date;
  actor: string;
  auditHead: ExportManifest['auditHead'];
  options: ExportManifest['options'];
  files: WrittenFile[];
}): ExportManifest {
  return {
    version: 1,
    workspace: p.workspace,
    exportedAt: p.at.toISOString(),
    actor: p.actor,
    auditHead: p.auditHead,
    options: p.options,
    files: p.files.map((f) => ({
      file: basename(f.file),
      kind: f.kind,
      township: f.township,
      rows: f.rows,
      sha256: f.sha256,
    })),
  };
}
