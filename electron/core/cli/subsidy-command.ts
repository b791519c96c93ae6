import { resolve } from 'node:path';
import type { Department } from '../../../shared/domain/subsidy';
import { formatCount } from '../../../shared/text/clerk-format';
import { CanbaoError } from '../errors';
import { num, out, parse, requireString, str, workspacePath } from './args';
import { withEngine } from './engine';
import { subsidyLinksCommand } from './subsidy-links-command';

export const SUBSIDY_USAGE = [
  'canbao import --workspace W --kind subsidy_list --department 民政|农业农村|残联|退役军人 --month YYYY-MM 文件 [--by 姓名] [--json]      （部门的资助参保名单，按月全量）',
  'canbao subsidy --workspace W [--json]      （资助对象：参保、县外参保、资助身份、名单变化）',
  'canbao subsidy --workspace W --tiers [--year YYYY] [--contribution 400] [--set dibao=percent:60]... [--by 姓名] [--json]      （年度资助标准）',
  'canbao subsidy --workspace W --links [--mask 6-4|3-4|full] [--json]      （名单上身份证号对不上任何人的，按姓名、出生日期、村找到的可能人员）',
  'canbao subsidy --workspace W --confirm 编号|身份证号:人员编号 [--by 姓名]      （链接到此人；--reject 同样写法：不是同一人）',
];

/** `import --kind subsidy_list`: a department's monthly list, through the same engine request as the app. */
export async function importSubsidyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    workspace: { type: 'string' },
    kind: { type: 'string' },
    department: { type: 'string' },
    month: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1)
    throw new CanbaoError('badInput', `请指定一个要导入的名单文件。用法：${SUBSIDY_USAGE[0]}`);
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    const r = await engine.job(
      'subsidy.import',
      {
        path: resolve(positionals[0]!),
        department: requireString(values.department, 'department') as Department,
        month: requireString(values.month, 'month'),
      },
      { quiet: values.json === true, cancelNote: '正在取消，资助名单不会导入…' },
    );
    if (values.json) out(JSON.stringify(r));
    else
      out(
        `已导入${r.department} ${r.month} 的资助名单 ${r.file}：${formatCount(r.rows)} 人；` +
          `新增 ${r.added}，变更 ${r.changed}，取消 ${r.cancelled}${r.replaced ? '（更正了同月名单）' : ''}`,
      );
    return 0;
  });
}

/** --set dibao=percent:60 tekun=full youfu=amount:200 → the tiers the request carries (checked by its schema). */
function parseTiers(specs: string[]): Record<string, { kind: string; value: number }> {
  const out: Record<string, { kind: string; value: number }> = {};
  for (const spec of specs) {
    const m = spec.match(/^(\w+)=(full|percent|amount|none)(?::([\d.]+))?$/);
    if (!m)
      throw new CanbaoError(
        'badInput',
        `--set 中的“${spec}”无法识别，格式如 dibao=percent:60、tekun=full、youfu=amount:200`,
      );
    out[m[1]!] = { kind: m[2]!, value: m[3] ? Number(m[3]) : 0 };
  }
  return out;
}

export async function subsidyCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    json: { type: 'boolean' },
    tiers: { type: 'boolean' },
    year: { type: 'string' },
    contribution: { type: 'string' },
    set: { type: 'string', multiple: true },
    by: { type: 'string' },
    links: { type: 'boolean' },
    confirm: { type: 'string' },
    reject: { type: 'string' },
    mask: { type: 'string' },
  });
  if (values.links || values.confirm !== undefined || values.reject !== undefined) return subsidyLinksCommand(values);
  if (values.tiers)
    return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
      const year = num(values.year);
      const sets = (values.set as string[] | undefined) ?? [];
      const t =
        sets.length || values.contribution !== undefined
          ? await engine.call('subsidy.setTiers', {
              year: year ?? (await engine.call('subsidy.tiers', {})).year,
              contribution: num(values.contribution),
              tiers: parseTiers(sets) as never,
            })
          : await engine.call('subsidy.tiers', { year });
      if (values.json) out(JSON.stringify(t));
      else {
        out(`${t.year}年 个人缴费标准 ${t.contribution} 元`);
        for (const x of t.tiers)
          out(
            `  ${x.label}：${x.kindLabel}${x.kind === 'percent' ? ` ${x.value}%` : x.kind === 'amount' ? ` ${x.value} 元` : ''}，个人缴 ${x.pays} 元`,
          );
      }
      return 0;
    });
  return withEngine({ workspace: workspacePath(values.workspace) }, async (engine) => {
    const s = await engine.call('subsidy.summary', {});
    if (values.json) {
      out(JSON.stringify(s));
      return 0;
    }
    for (const l of s.lists) out(`${l.department}：${l.month} 名单 ${formatCount(l.rows)} 人`);
    out(
      `资助对象 ${formatCount(s.listed)} 人：已参保 ${formatCount(s.insured)}（其中本县职工 ${formatCount(s.insuredEmployee)}），` +
        `县外参保 ${formatCount(s.insuredElsewhere)}，未参保 ${formatCount(s.uninsured)}，年度前已死亡 ${formatCount(s.diedBeforeYear)}`,
    );
    out(`资助身份不符 ${formatCount(s.wrongSubsidy)}，不在名单却按资助参保 ${formatCount(s.unlistedSubsidised)}`);
    out(`最近一月名单变化：新增 ${s.added}，变更 ${s.changed}，取消 ${s.cancelled}`);
    if (s.toConfirm)
      out(
        `待确认的名单人员 ${formatCount(s.toConfirm)} 人：身份证号对不上任何人，但有姓名、出生日期相同的人员（canbao subsidy --links 查看）`,
      );
    return 0;
  });
}
