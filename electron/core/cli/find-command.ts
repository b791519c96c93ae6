import { ROLL_KIND_LABEL } from '../../../shared/domain/types';
import type { MaskProfile } from '../../../shared/export/mask';
import { num, out, parse, str, workspacePath } from './args';
import { withEngine } from './engine';

export async function findCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    workspace: { type: 'string' },
    mask: { type: 'string' },
    json: { type: 'boolean' },
    limit: { type: 'string' },
  });
  const query = positionals.join(' ');
  return withEngine({ workspace: workspacePath(values.workspace) }, async (engine) => {
    const { hits } = await engine.call('search.find', {
      query,
      mask: str(values.mask) as MaskProfile | undefined,
      limit: num(values.limit),
    });
    if (values.json) {
      out(JSON.stringify({ query: query.trim(), hits }));
      return 0;
    }
    if (!hits.length) out(`没有找到“${query.trim()}”`);
    for (const h of hits) {
      out(
        `${h.personId} ${h.name} ${h.idMasked} ${h.township ?? ''}${h.village ?? ''}  ${h.inBase ? '底册内' : '不在底册'}，${h.insured ? '已参保' : '未参保'}${h.duplicate ? '，' + h.duplicate : ''}`,
      );
      for (const r of h.records)
        out(
          `    ${r.year} ${ROLL_KIND_LABEL[r.kind]}  ${r.file}${r.sheet ? '/' + r.sheet : ''} 第${r.row}行  ${r.name} ${r.idMasked}`,
        );
    }
    return 0;
  });
}
