import { fileView } from '../export/village-workbook';
import { dirname, join, resolve } from 'node:path';
import { SETTING_KEYS, SETTINGS, type Settings } from '../../../shared/domain/settings';
import type { MaskProfile } from '../../../shared/export/mask';
import type { Channel, ParsedRequest, Response } from '../../../shared/ipc/contract';
import { MATCH_STAGE_LABEL } from '../../../shared/ipc/jobs';
import { appendAudit } from '../audit/audit-log';
import { auditFilterOptions, listAuditView, personOfRecord } from '../audit/audit-view';
import { verifyAudit } from '../audit/verify-audit';
import { checkManifest } from '../audit/manifest-check';
import { REVEALS_PER_MINUTE, revealWait } from '../audit/reveal-throttle';
import { Workspace } from '../db/workspace';
import { BACKUP_REASON_LABEL, createBackup, listBackups, restoreBackup, saveCopy } from '../db/workspace-backup';
import { CanbaoError } from '../errors';
import { exportWorkbooks } from '../export/export-all';
import { exportCurrentList } from '../export/list-export';
import { importFile } from '../import/import-file';
import { previewFile } from '../import/preview';
import { describeImport, removeRoll } from '../import/remove-roll';
import { BLOCKING_KEY_LABEL, type BlockingKey } from '../../../shared/match/blocking-keys';
import { runMatch } from '../match/run-match';
import { reviewSides } from '../review/review-context';
import { decidePair, listPending, pendingCount, undoDecision } from '../review/review-queue';
import { PersonSearch } from '../search/person-search';
import { readSettings, writeSetting } from '../settings';
import type { Service } from './service';
import { personView } from './person-view';
import { subsidyHandlers } from './subsidy-handlers';
import { townshipHandlers } from './township-handlers';
import { continuityHandlers } from './continuity-handlers';
import { takeSnapshot } from '../township/snapshots';
import { resultsList, reviewView, searchView } from './views';

type Handler<C extends Channel> = (input: ParsedRequest<C>) => Promise<Response<C>>;
export type Handlers = { [C in Exclude<Channel, 'job.cancel'>]: Handler<C> };

/**
 * Full ID numbers leave the engine only on purpose, and each time it is logged: a reveal on screen, or a list the
 * clerk asked for unmasked (the CLI's --mask full).
 */
function logUnmasked(s: Service, mask: MaskProfile, detail: Record<string, unknown>): void {
  if (mask === 'full') appendAudit(s.need().db, s.actor, 'revealId', detail);
}

/** The engine's handlers, one per contract channel, each given its request already parsed by the contract. */
export function createHandlers(s: Service): Handlers {
  return {
    ...townshipHandlers(s),
    ...continuityHandlers(s),
    ...subsidyHandlers(s),
    'workspace.recent': async () => ({ paths: s.recent() }),
    'workspace.open': async ({ path, create, password }) => {
      const next = Workspace.open(resolve(path), { create, password });
      s.ws?.close();
      s.ws = next;
      s.search = null;
      s.remember(next.path);
      return s.status();
    },
    'workspace.status': async () => s.status(),
    'workspace.setPassword': async ({ password, current }) => {
      const ws = s.need();
      if (ws.encrypted && current !== ws.password)
        throw new CanbaoError('workspacePassword', '当前密码不正确，密码未修改。请重新输入当前密码');
      const wasEncrypted = ws.encrypted;
      ws.setPassword(password);
      // The log says that it happened, never the password.
      appendAudit(ws.db, s.actor, 'setPassword', { change: wasEncrypted ? 'changed' : 'encrypted' });
      return s.status();
    },
    'backup.list': async () => ({
      backups: listBackups(s.need().path).map((b) => ({
        file: b.file,
        at: b.at,
        bytes: b.bytes,
        reason: b.reason,
        reasonLabel: BACKUP_REASON_LABEL[b.reason],
      })),
    }),
    'backup.create': async ({ dest }) => {
      const ws = s.need();
      if (dest) return saveCopy(ws, resolve(dest), s.actor);
      const b = await createBackup(ws, 'manual', readSettings(ws.db).backupsKept, s.actor);
      return { path: b.path, bytes: b.bytes };
    },
    'backup.restore': async ({ file }) => {
      const ws = s.need();
      s.search = null;
      try {
        s.ws = await restoreBackup(ws, file, readSettings(ws.db).backupsKept, s.actor);
      } catch (e) {
        // Refused before the swap (no such backup, not a workspace): the workspace is still the open one. Refused at
        // the swap (the file held by another program): it was closed, and is opened again as it was.
        s.ws = ws.db.open ? ws : reopened(ws);
        throw e;
      }
      return s.status();
    },
    'import.preview': async ({ path, encoding, headerRow }) => previewFile(path, { encoding, headerRow }),
    'import.run': async (req) => {
      const ws = s.need();
      return s.startJob('import.run', async (jobId, signal) => {
        // Inside the job: a county's workspace takes seconds to copy, and the clerk sees it as the job's first step.
        // A replacement removes a roll: the backup says so, so the clerk finds the state before it by its reason.
        s.progress(jobId, 'backup', '备份工作区', 0, null);
        await createBackup(
          ws,
          req.replaceRollId !== undefined ? 'removeRoll' : 'import',
          readSettings(ws.db).backupsKept,
          s.actor,
        );
        return importFile(ws, resolve(req.path), {
          kind: req.kind,
          year: req.year,
          sheets: req.sheets,
          encoding: req.encoding,
          headerRow: req.headerRow,
          mapping: req.mapping,
          actor: s.actor,
          allowSameFile: req.force,
          kindConfirmed: req.confirmKind,
          replaceRollId: req.replaceRollId,
          signal,
          onProgress: (p) =>
            s.progress(
              jobId,
              p.stage,
              p.stage === 'hash' ? '校验文件' : `读取 ${p.sheet || '数据'}`,
              p.done,
              p.total,
              p.fraction ?? null,
            ),
        });
      });
    },
    'roll.remove': async ({ rollId }) => {
      const ws = s.need();
      describeImport(ws.db, rollId); // a roll that is not there is said before a backup is made for nothing
      await createBackup(ws, 'removeRoll', readSettings(ws.db).backupsKept, s.actor);
      const r = removeRoll(ws, rollId, s.actor);
      s.search = null;
      return {
        removed: { file: r.file, kind: r.kind, year: r.year, sheets: r.sheets, records: r.records, issues: r.issues },
        status: s.status(),
      };
    },
    'match.run': async ({ year, full }) => {
      const ws = s.need();
      return s.startJob('match.run', async (jobId, signal) => {
        s.progress(jobId, 'backup', '备份工作区', 0, null);
        await createBackup(ws, 'match', readSettings(ws.db).backupsKept, s.actor);
        const r = runMatch(ws, {
          year,
          mode: full ? 'full' : 'auto',
          actor: s.actor,
          signal,
          onProgress: (p) => s.progress(jobId, p.stage, MATCH_STAGE_LABEL[p.stage], p.done, p.total),
        });
        return {
          year: r.year,
          records: r.records,
          candidatePairs: r.candidatePairs,
          links: r.links,
          persons: r.persons,
          basePersons: r.basePersons,
          duplicates: r.duplicates,
          uninsured: r.uninsured,
          notInBase: r.notInBase,
          reviewPending: r.reviewPending,
          personsCreated: r.personsCreated,
          personsRetired: r.personsRetired,
          capped: Object.entries(r.blocking.capped).map(([key, c]) => ({
            key,
            label: BLOCKING_KEY_LABEL[key as BlockingKey],
            blocks: c.blocks,
            records: c.records,
          })),
          seconds: r.seconds,
          mode: r.mode,
          changedRecords: r.changedRecords,
          reclustered: r.reclustered,
        };
      });
    },
    'review.list': async ({ offset, limit, mask }) => {
      const db = s.need().db;
      const pairs = listPending(db, limit, offset).map((p) => reviewView(p, mask, reviewSides(db, p, mask)));
      logUnmasked(s, mask, { list: 'review', pairs: pairs.map((p) => p.id) });
      return { pending: pendingCount(db), pairs };
    },
    'review.decide': async ({ pairId, recordA, recordB, verdict }) => {
      const db = s.need().db;
      let pair = { recordA: recordA!, recordB: recordB! };
      if (pairId !== undefined) {
        const row = db
          .prepare(
            'SELECT record_a AS recordA, record_b AS recordB FROM review_pair WHERE id = ? AND decided_at IS NULL',
          )
          .get(pairId) as typeof pair | undefined;
        if (!row) throw new CanbaoError('notFound', `待复核的第 ${pairId} 对不存在（可能已处理，或比对已重新运行）`);
        pair = row;
      }
      decidePair(db, pair.recordA, pair.recordB, verdict, s.actor);
      return {
        pending: pendingCount(db),
        recordA: Math.min(pair.recordA, pair.recordB),
        recordB: Math.max(pair.recordA, pair.recordB),
        verdict,
      };
    },
    'review.undo': async ({ recordA, recordB }) => {
      const db = s.need().db;
      undoDecision(db, recordA, recordB, s.actor);
      return { pending: pendingCount(db) };
    },
    'results.list': async (q) => resultsList(s.need().db, q),
    'results.export': async (q) => {
      const ws = s.need();
      return exportCurrentList(ws.db, { ...q, dir: resolve(q.dir ?? join(dirname(ws.path), '导出')) }, s.actor);
    },
    'person.get': async (q) => personView(s.need().db, q),
    'results.places': async () => {
      const rows = s
        .need()
        .db.prepare(
          `SELECT coalesce(township_key, '') AS t, coalesce(village_key, '') AS v FROM person_status WHERE in_base = 1 GROUP BY t, v ORDER BY t, v`,
        )
        .all() as { t: string; v: string }[];
      const map = new Map<string, string[]>();
      for (const r of rows) (map.get(r.t) ?? map.set(r.t, []).get(r.t)!).push(r.v);
      return { townships: [...map].map(([name, villages]) => ({ name, villages })) };
    },
    'search.find': async ({ query, mask, limit }) => {
      const ws = s.need();
      s.search ??= new PersonSearch(ws.db);
      const hits = s.search.find(query, limit).map((h) => searchView(h, mask));
      logUnmasked(s, mask, { search: query, persons: hits.map((h) => h.personId) });
      return { hits };
    },
    'id.reveal': async ({ recordId, reason }) => {
      const ws = s.need();
      const wait = revealWait(ws.db);
      if (wait > 0)
        throw new CanbaoError(
          'limitExceeded',
          `一分钟内最多查看 ${REVEALS_PER_MINUTE} 个完整身份证号，请约 ${wait} 秒后再试；需要成批的完整号码请用“导出”（会记入日志）`,
        );
      const row = ws.db.prepare('SELECT coalesce(id_number, id_raw) AS id FROM record WHERE id = ?').get(recordId) as
        { id: string } | undefined;
      if (!row) throw new CanbaoError('notFound', '这条记录已不在工作区（所在名册可能已移除），请刷新后再试');
      appendAudit(ws.db, s.actor, 'revealId', { recordId, reason, person: personOfRecord(ws.db, recordId) });
      return { id: row.id };
    },
    'export.run': async (req) => {
      const ws = s.need();
      const dir = resolve(req.dir);
      return s.startJob('export.run', async (jobId, signal) => {
        const r = await exportWorkbooks(ws.db, {
          dir,
          what: req.what,
          townships: req.townships,
          mask: req.mask,
          format: req.format,
          since: req.since,
          continuityYear: req.year,
          actor: s.actor,
          workspacePath: ws.path,
          workspacePassword: ws.password,
          signal,
          onProgress: (p) => s.progress(jobId, 'export', p.label, p.done, p.total),
        });
        return {
          dir,
          files: r.files.map(fileView),
        };
      });
    },
    'audit.list': async (q) => ({ rows: listAuditView(s.need().db, q), ...auditFilterOptions(s.need().db) }),
    'audit.verify': async ({ manifest }) => {
      const db = s.need().db;
      const chain = verifyAudit(db);
      if (!manifest) return chain;
      const tie = checkManifest(db, resolve(manifest));
      return { ...chain, ok: chain.ok && tie.ok, manifest: tie };
    },
    'settings.get': async () => readSettings(s.need().db),
    'settings.set': async (patch) => {
      const db = s.need().db;
      const before = readSettings(db);
      // Each value was checked against its bounds by the request schema; together they must still agree.
      const after = SETTINGS.parse({ ...before, ...patch }) as Settings;
      // Lists (exemptGroups) compare by value: the same list again is no change and no log entry.
      const changed = SETTING_KEYS.filter(
        (k) => patch[k] !== undefined && JSON.stringify(after[k]) !== JSON.stringify(before[k]),
      );
      if (changed.length) {
        db.transaction(() => {
          for (const k of changed) writeSetting(db, k, after[k]);
          appendAudit(db, s.actor, 'settings', Object.fromEntries(changed.map((k) => [k, after[k]])));
          // Who leaves the base changed: the rates are counted again now, not at the next match.
          if (changed.some((k) => k === 'removeAbroad' || k === 'removeMissing')) takeSnapshot(db, 'settings');
        })();
      }
      return readSettings(db);
    },
    'settings.actor': async ({ name }) => {
      s.setActor(name);
      return { actor: name };
    },
  };
}

/** The workspace opened again after a failed swap, or null (the clerk then opens it from the 工作区 page). */
function reopened(ws: Workspace): Workspace | null {
  try {
    return Workspace.open(ws.path, { password: ws.password });
  } catch {
    return null;
  }
}
