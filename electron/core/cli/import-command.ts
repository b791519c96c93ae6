import { resolve } from 'node:path';
import { ID_STATUS_LABEL, ID_STATUSES } from '../../../shared/domain/types';
import { columnIndex, type ColumnMapping, type Field } from '../../../shared/headers/fields';
import type { ImportResult } from '../../../shared/ipc/jobs';
import type { RollKind } from '../../../shared/domain/types';
import { EngineError } from '../../../shared/ipc/errors';
import { CanbaoError } from '../errors';
import { SKIP_REASON_LABEL, SKIP_REASONS } from '../import/sheet-layout';
import { num, out, parse, requireString, str, workspacePath } from './args';
import { withEngine } from './engine';
import { importSubsidyCommand } from './subsidy-command';

export const IMPORT_USAGE =
  'canbao import --workspace W --kind population|employee|resident_rural|resident_urban --year YYYY 文件 [--sheet 名称]... [--encoding utf8|gb18030|utf16le|utf16be] [--header-row N] [--map 字段=列,...] [--by 姓名] [--force] [--kind-confirmed] [--replace 名册编号] [--json]';

/** --map name=C,idNumber=F : fields by their engine name (checked by the request schema), columns by letter. */
function parseMapping(spec: string): ColumnMapping {
  const mapping: Record<string, number> = {};
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [f, col] = part.split('=').map((s) => s.trim());
    if (!f || !col || !/^[A-Za-z]{1,3}$/.test(col))
      throw new CanbaoError('badInput', `--map 中的“${part}”无法识别，格式如 name=C,idNumber=F`);
    mapping[f] = columnIndex(col);
  }
  return mapping as Partial<Record<Field, number>>;
}

export async function importCommand(argv: string[]): Promise<number> {
  // A department's 资助 list is no roll: its own request, its own flags (--department, --month).
  if (argv.some((a, i) => a === '--kind=subsidy_list' || (a === '--kind' && argv[i + 1] === 'subsidy_list')))
    return importSubsidyCommand(argv);
  const { values, positionals } = parse(argv, {
    workspace: { type: 'string' },
    kind: { type: 'string' },
    year: { type: 'string' },
    sheet: { type: 'string', multiple: true },
    encoding: { type: 'string' },
    'header-row': { type: 'string' },
    map: { type: 'string' },
    by: { type: 'string' },
    force: { type: 'boolean' },
    'kind-confirmed': { type: 'boolean' },
    replace: { type: 'string' },
    json: { type: 'boolean' },
  });
  const kind = requireString(values.kind, 'kind') as RollKind;
  const year = num(requireString(values.year, 'year'))!;
  if (positionals.length !== 1) throw new CanbaoError('badInput', `请指定一个要导入的文件。用法：${IMPORT_USAGE}`);
  return withEngine(
    { workspace: workspacePath(values.workspace), create: true, by: str(values.by) },
    async (engine) => {
      const summary = await engine
        .job(
          'import.run',
          {
            path: resolve(positionals[0]!),
            kind,
            year,
            sheets: values.sheet as string[] | undefined,
            encoding: str(values.encoding) as 'utf8' | 'gb18030' | 'utf16le' | 'utf16be' | undefined,
            headerRow: num(values['header-row']),
            mapping: values.map ? parseMapping(values.map as string) : undefined,
            force: values.force === true,
            confirmKind: values['kind-confirmed'] === true,
            replaceRollId: num(values.replace),
          },
          { quiet: values.json === true, cancelNote: '正在取消导入，工作区保持不变…' },
        )
        .catch((e: unknown) => {
          // The engine's sentence is the app's too; only here is the way to confirm a flag.
          if (e instanceof EngineError && e.kind === 'kindMismatch')
            throw new EngineError({ ...e.toEnvelope(), message: `${e.message}（加 --kind-confirmed 再次导入）` });
          throw e;
        });
      if (values.json) out(JSON.stringify(summary));
      else printSummary(summary);
      return 0;
    },
  );
}

function printSummary(s: ImportResult): void {
  out(
    `已导入 ${s.file}（${s.format}${s.encoding ? '，编码 ' + s.encoding : ''}）：共 ${s.records} 条记录，${s.issues} 个数据问题`,
  );
  for (const sh of s.sheets) {
    out(
      `  工作表“${sh.sheet || '（CSV）'}”：读取 ${sh.rowsRead} 行，导入 ${sh.imported} 条，表头在第 ${sh.headerRow} 行${sh.township ? '，乡镇 ' + sh.township : ''}`,
    );
    const skipped = SKIP_REASONS.filter((r) => (sh.skipped[r] ?? 0) > 0).map(
      (r) => `${SKIP_REASON_LABEL[r]} ${sh.skipped[r]}`,
    );
    if (skipped.length) out(`    跳过：${skipped.join('，')}`);
    out(
      `    身份证号：${ID_STATUSES.filter((k) => sh.idStatus[k] > 0)
        .map((k) => `${ID_STATUS_LABEL[k]} ${sh.idStatus[k]}`)
        .join('，')}`,
    );
  }
  for (const sk of s.skippedSheets) out(`  工作表“${sk.sheet}”未导入：${sk.reason}`);
}
