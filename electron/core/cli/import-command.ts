import { resolve } from 'node:path';
import { ID_STATUS_LABEL, ID_STATUSES, ROLL_KINDS, type RollKind } from '../../../shared/domain/types';
import { columnIndex, FIELDS, type ColumnMapping, type Field } from '../../../shared/headers/fields';
import { Workspace } from '../db/workspace';
import { CanbaoError } from '../errors';
import { importFile, type ImportSummary } from '../import/import-file';
import { SKIP_REASON_LABEL, SKIP_REASONS } from '../import/sheet-layout';
import { out, parse, requireString, workspacePath } from './args';

export const IMPORT_USAGE = 'canbao import --workspace W --kind population|employee|resident_rural|resident_urban --year YYYY 文件 [--sheet 名称]... [--encoding utf8|gb18030] [--header-row N] [--map 字段=列,...] [--by 姓名] [--force] [--json]';

/** --map name=C,idNumber=F : fields by their engine name, columns by letter. */
function parseMapping(spec: string): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [f, col] = part.split('=').map((s) => s.trim());
    if (!f || !col || !(FIELDS as readonly string[]).includes(f) || !/^[A-Za-z]{1,3}$/.test(col)) {
      throw new CanbaoError('badInput', `--map 中的“${part}”无法识别，格式如 name=C,idNumber=F；可用字段：${FIELDS.join(', ')}`);
    }
    mapping[f as Field] = columnIndex(col);
  }
  return mapping;
}

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    workspace: { type: 'string' }, kind: { type: 'string' }, year: { type: 'string' }, sheet: { type: 'string', multiple: true },
    encoding: { type: 'string' }, 'header-row': { type: 'string' }, map: { type: 'string' }, by: { type: 'string' },
    force: { type: 'boolean' }, json: { type: 'boolean' },
  });
  const kind = requireString(values.kind, 'kind');
  if (!(ROLL_KINDS as readonly string[]).includes(kind)) throw new CanbaoError('badInput', `--kind 应为 ${ROLL_KINDS.join('、')} 之一`);
  const year = Number(requireString(values.year, 'year'));
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new CanbaoError('badInput', '--year 应为四位年份，如 2026');
  if (positionals.length !== 1) throw new CanbaoError('badInput', `请指定一个要导入的文件。用法：${IMPORT_USAGE}`);
  const encoding = values.encoding as string | undefined;
  if (encoding && encoding !== 'utf8' && encoding !== 'gb18030') throw new CanbaoError('badInput', '--encoding 应为 utf8 或 gb18030');
  const headerRow = values['header-row'] ? Number(values['header-row']) : undefined;
  if (headerRow !== undefined && (!Number.isInteger(headerRow) || headerRow < 1)) throw new CanbaoError('badInput', '--header-row 应为正整数');

  const ws = Workspace.open(workspacePath(values.workspace), { create: true });
  try {
    const summary = await importFile(ws, resolve(positionals[0]!), {
      kind: kind as RollKind, year, sheets: values.sheet as string[] | undefined, encoding: encoding as 'utf8' | 'gb18030' | undefined,
      headerRow, mapping: values.map ? parseMapping(values.map as string) : undefined, actor: values.by as string | undefined,
      allowSameFile: values.force === true,
      onProgress: values.json ? undefined : (p) => p.stage === 'read' && p.total === null && process.stderr.write(`\r  ${p.sheet || '读取'}：已读 ${p.done} 行`),
    });
    if (!values.json) process.stderr.write('\r\x1b[K');
    if (values.json) out(JSON.stringify(summary));
    else printSummary(summary);
    return 0;
  } finally {
    ws.close();
  }
}

function printSummary(s: ImportSummary): void {
  out(`已导入 ${s.file}（${s.format}${s.encoding ? '，编码 ' + s.encoding : ''}）：共 ${s.records} 条记录，${s.issues} 个数据问题`);
  for (const sh of s.sheets) {
    out(`  工作表“${sh.sheet || '（CSV）'}”：读取 ${sh.rowsRead} 行，导入 ${sh.imported} 条，表头在第 ${sh.headerRow} 行${sh.township ? '，乡镇 ' + sh.township : ''}`);
    const skipped = SKIP_REASONS.filter((r) => sh.skipped[r] > 0).map((r) => `${SKIP_REASON_LABEL[r]} ${sh.skipped[r]}`);
    if (skipped.length) out(`    跳过：${skipped.join('，')}`);
    out(`    身份证号：${ID_STATUSES.filter((k) => sh.idStatus[k] > 0).map((k) => `${ID_STATUS_LABEL[k]} ${sh.idStatus[k]}`).join('，')}`);
  }
  for (const sk of s.skippedSheets) out(`  工作表“${sk.sheet}”未导入：${sk.reason}`);
}
