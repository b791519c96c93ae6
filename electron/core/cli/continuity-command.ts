import { formatCount } from '../../../shared/text/clerk-format';
import { num, out, parse, str, workspacePath } from './args';
import { withEngine } from './engine';

export const CONTINUITY_USAGE = [
  'canbao continuity --workspace W [--year YYYY] [--json]      （连续参保：断保风险人数、等待期月数与激励档数的分布；不给 --year 时为当前正在征缴的年度）',
  'canbao continuity --workspace W --at-risk [--year YYYY] [--township 乡镇] [--village 村] [--limit N] [--json]      （断保风险名单）',
  'canbao continuity --workspace W --person P00000012 [--year YYYY] [--json]      （一个人的历年参保与说明）',
];

const histogram = (h: Record<string, number>, unit: string) =>
  Object.entries(h)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([k, n]) => `${k}${unit} ${formatCount(n)} 人`)
    .join('，') || '无';

/** `canbao continuity`: the same engine requests as the app's 连续参保 page and 一人一档. */
export async function continuityCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    year: { type: 'string' },
    json: { type: 'boolean' },
    'at-risk': { type: 'boolean' },
    township: { type: 'string' },
    village: { type: 'string' },
    limit: { type: 'string' },
    person: { type: 'string' },
  });
  const year = num(values.year);
  return withEngine({ workspace: workspacePath(values.workspace) }, async (engine) => {
    if (values.person !== undefined) {
      const p = await engine.call('continuity.person', { personId: str(values.person) ?? '', year });
      if (values.json) out(JSON.stringify(p));
      else {
        for (const y of p.years)
          out(`${y.year}年　${y.enrolment}${y.paidOn ? `　${y.paidOn}缴费` : ''}　（${y.evidence}）`);
        out(p.explanation);
      }
      return 0;
    }
    if (values['at-risk']) {
      const r = await engine.call('continuity.atRisk', {
        year,
        township: str(values.township),
        village: str(values.village),
        offset: 0,
        limit: num(values.limit) ?? 5000,
      });
      if (values.json) out(JSON.stringify(r));
      else {
        out(`${r.year}年断保风险名单：共 ${formatCount(r.total)} 人`);
        for (const x of r.rows)
          out(`${x.personId}　${x.name}　${x.township}${x.village}　连续${x.consecutiveYears}年　${x.explanation}`);
      }
      return 0;
    }
    const s = await engine.call('continuity.summary', { year });
    if (values.json) out(JSON.stringify(s));
    else
      out(
        [
          `${s.year}年（缴费截止 ${s.deadline}）：共 ${formatCount(s.persons)} 人，已参保 ${formatCount(s.insured)} 人，断保风险 ${formatCount(s.atRisk)} 人`,
          `待遇等待期：${histogram(s.waitingMonths, '个月')}`,
          `连续参保激励：${histogram(s.incentiveSteps, '档')}`,
          `工作区中有参保名册的年度：${s.yearsKnown.join('、') || '无'}`,
        ].join('\n'),
      );
    return 0;
  });
}
