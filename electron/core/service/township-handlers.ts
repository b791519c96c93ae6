import { fileView } from '../export/village-workbook';
import { resolve } from 'node:path';
import { figures, rateOn, addTally, EMPTY_TALLY } from '../../../shared/domain/participation';
import { formatDateTime } from '../../../shared/text/clerk-format';
import { readSettings } from '../settings';
import { dispatchLedgers, listBatches } from '../township/dispatch';
import { participation } from '../township/participation';
import { importReturns } from '../township/returns-import';
import { dailySnapshots } from '../township/snapshots';
import { subsidyChecks } from '../subsidy/subsidy-checks';
import { importSubsidyList } from '../subsidy/subsidy-import';
import { writeYearTable, yearTable, type YearTable } from '../subsidy/subsidy-tiers';
import { appendAudit } from '../audit/audit-log';
import { IDENTITIES, IDENTITY_LABEL, personalPayment, TIER_KIND_LABEL } from '../../../shared/domain/subsidy';
import type Database from 'better-sqlite3';

const currentYear = (db: Database.Database) =>
  (db.prepare('SELECT year FROM match_run ORDER BY id DESC LIMIT 1').pluck().get() as number | undefined) ??
  new Date().getFullYear();

function tableView(t: YearTable) {
  return {
    year: t.year,
    contribution: t.contribution,
    tiers: IDENTITIES.map((i) => ({
      identity: i,
      label: IDENTITY_LABEL[i],
      kind: t.tiers[i].kind,
      kindLabel: TIER_KIND_LABEL[t.tiers[i].kind],
      value: t.tiers[i].value,
      pays: personalPayment(t.contribution, t.tiers[i]),
    })),
  };
}
import type { Handlers } from './handlers';
import type { Service } from './service';

type TownshipChannel =
  | 'dispatch.run'
  | 'dispatch.list'
  | 'returns.import'
  | 'progress.trend'
  | 'results.rates'
  | 'subsidy.import'
  | 'subsidy.summary'
  | 'subsidy.tiers'
  | 'subsidy.setTiers';

/** The township round-trip (issue 12) and the departments' 资助 lists (issue 14): the county's work with others. */
export function townshipHandlers(s: Service): Pick<Handlers, TownshipChannel> {
  return {
    'dispatch.run': async (req) => {
      const ws = s.need();
      const dir = resolve(req.dir);
      return s.startJob('dispatch.run', async (jobId, signal) => {
        const r = await dispatchLedgers(ws.db, {
          dir,
          townships: req.townships,
          mask: req.mask,
          format: req.format,
          actor: s.actor,
          workspacePath: ws.path,
          workspacePassword: ws.password,
          signal,
          onProgress: (p) => s.progress(jobId, 'export', p.label, p.done, p.total),
        });
        return {
          dir,
          batchNo: r.batchNo,
          dispatchedAt: r.dispatchedAt,
          persons: r.persons,
          townships: r.townships,
          files: r.files.map(fileView),
        };
      });
    },
    'dispatch.list': async () => ({ batches: listBatches(s.need().db) }),
    'subsidy.import': async ({ path, department, month }) => {
      const ws = s.need();
      return s.startJob('subsidy.import', async (_jobId, signal) =>
        importSubsidyList(ws.db, resolve(path), { department, month, actor: s.actor, signal }),
      );
    },
    'subsidy.summary': async () => subsidyChecks(s.need().db).summary,
    'subsidy.tiers': async ({ year }) => {
      const db = s.need().db;
      return tableView(yearTable(db, year ?? currentYear(db)));
    },
    'subsidy.setTiers': async ({ year, contribution, tiers }) => {
      const db = s.need().db;
      const before = yearTable(db, year);
      const after = {
        year,
        contribution: contribution ?? before.contribution,
        tiers: { ...before.tiers, ...(tiers as Partial<YearTable['tiers']>) },
      };
      db.transaction(() => {
        writeYearTable(db, after);
        appendAudit(db, s.actor, 'subsidyTiers', { year, contribution: after.contribution, tiers: tiers ?? {} });
      })();
      return tableView(after);
    },
    'returns.import': async ({ paths }) => {
      const ws = s.need();
      return s.startJob('returns.import', async (jobId, signal) =>
        importReturns(
          ws.db,
          paths.map((p) => resolve(p)),
          {
            actor: s.actor,
            signal,
            onProgress: (p) => s.progress(jobId, 'returns', p.label, p.done, p.total),
          },
        ),
      );
    },
    'results.rates': async () => {
      const db = s.need().db;
      const settings = readSettings(db);
      return {
        target: settings.targetRate,
        lagRate: settings.lagRate,
        basis: settings.rateBasis,
        ...participation(db, settings),
      };
    },
    'progress.trend': async ({ township, days }) => {
      const db = s.need().db;
      const basis = readSettings(db).rateBasis;
      const snaps = dailySnapshots(db, days);
      const places = new Map<string, (number | null)[]>();
      snaps.forEach((snap, i) => {
        const acc = new Map<string, typeof EMPTY_TALLY>();
        for (const v of snap.villages) {
          if (township !== undefined && v.township !== township) continue;
          const place = township !== undefined ? v.village || '（未填村）' : v.township || '（未分乡镇）';
          acc.set(place, addTally(acc.get(place) ?? EMPTY_TALLY, v.tally));
        }
        for (const [place, tally] of acc) {
          const line =
            places.get(place) ?? places.set(place, Array<number | null>(snaps.length).fill(null)).get(place)!;
          line[i] = rateOn(figures(tally), basis);
        }
      });
      return {
        basis,
        points: snaps.map((x) => formatDateTime(x.takenAt)),
        series: [...places].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([place, rates]) => ({ place, rates })),
      };
    },
  };
}
