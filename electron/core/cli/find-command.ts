import { formatPersonId, ROLL_KIND_LABEL } from '../../../shared/domain/types';
import { maskId, type MaskProfile } from '../../../shared/export/mask';
import { Workspace } from '../db/workspace';
import { CanbaoError } from '../errors';
import { PersonSearch } from '../search/person-search';
import { out, parse, workspacePath } from './args';

export async function findCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { workspace: { type: 'string' }, mask: { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string' } });
  const query = positionals.join(' ').trim();
  if (!query) throw new CanbaoError('badInput', '请给出要查找的姓名、拼音、拼音首字母或身份证号片段');
  const mask = ((values.mask as string | undefined) ?? '6-4') as MaskProfile;
  const ws = Workspace.open(workspacePath(values.workspace), { readonly: true });
  try {
    const hits = new PersonSearch(ws.db).find(query, values.limit ? Number(values.limit) : 20);
    const masked = hits.map((h) => ({ ...h, idNumber: maskId(h.idNumber, mask), records: h.records.map((r) => ({ ...r, idNumber: maskId(r.idNumber, mask) })) }));
    if (values.json) {
      out(JSON.stringify({ query, hits: masked.map((h) => ({ ...h, personNo: formatPersonId(h.personId) })) }));
      return 0;
    }
    if (!hits.length) out(`没有找到“${query}”`);
    for (const h of masked) {
      out(`${formatPersonId(h.personId)} ${h.name} ${h.idNumber ?? ''} ${h.township ?? ''}${h.village ?? ''}  ${h.inBase ? '底册内' : '不在底册'}，${h.insured ? '已参保' : '未参保'}${h.duplicateKind ? '，重复参保' : ''}`);
      for (const r of h.records) out(`    ${r.year} ${ROLL_KIND_LABEL[r.kind]}  ${r.file}${r.sheet ? '/' + r.sheet : ''} 第${r.row}行  ${r.name} ${r.idNumber}`);
    }
    return 0;
  } finally {
    ws.close();
  }
}
