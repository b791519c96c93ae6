import { formatPersonId } from '../../../shared/domain/types';
import { maskId } from '../../../shared/export/mask';
import { appendAudit } from '../audit/audit-log';
import { decideLink } from '../subsidy/link-decisions';
import { linksToConfirm, listUnlinked } from '../subsidy/subsidy-links';
import type { Handlers } from './handlers';
import type { Service } from './service';

type SubsidyLinkChannel = 'subsidy.links' | 'subsidy.decideLink';

/** Listed ID numbers no person carries (issue 14 item 2): the proposals, and the clerk's 链接到此人 / 不是同一人. */
export function subsidyHandlers(s: Service): Pick<Handlers, SubsidyLinkChannel> {
  return {
    'subsidy.links': async ({ mask }) => {
      const db = s.need().db;
      const members = listUnlinked(db).map((m) => ({
        name: m.name,
        idMasked: maskId(m.idNumber, mask),
        township: m.township ?? '',
        village: m.village ?? '',
        departments: m.departments,
        candidates: m.candidates.map((c) => ({
          candidateId: c.candidateId,
          personId: formatPersonId(c.personId),
          name: c.name,
          idMasked: maskId(c.idNumber, mask),
          township: c.township ?? '',
          village: c.village ?? '',
          insured: c.insured,
          weight: Math.round(c.weight * 10) / 10,
          plain: c.explanation.plain,
          plainTally: c.explanation.plainTally,
          note: c.explanation.note,
        })),
      }));
      // Full numbers leave the engine only on purpose, and are logged (as review.list does).
      if (mask === 'full') appendAudit(db, s.actor, 'revealId', { list: 'subsidyLinks', members: members.length });
      return { toConfirm: members.length, members };
    },
    'subsidy.decideLink': async ({ candidateId, memberIdNumber, personId, verdict }) => {
      const db = s.need().db;
      const r = decideLink(
        db,
        { candidateId, memberIdNumber: memberIdNumber?.toUpperCase(), personId },
        verdict,
        s.actor,
      );
      return { toConfirm: linksToConfirm(db), verdict, personId: formatPersonId(r.personId) };
    },
  };
}
