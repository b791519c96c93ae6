/**
 * The waiting period (待遇等待期) of a person for a target year, DOMAIN-RULES §1.4 steps 1–5: exemptions (R1.8a–d),
 * the lapse before the year (R1.2, R1.5b, D3), payment outside the window (R1.1, D2), fixed + variable months, repair
 * by paying missed years (R1.3), the floor after a long lapse (R1.4), and when benefits start (R1.5c, R1.6).
 */
import {
  addDays,
  addMonths,
  enrolmentWindow,
  later,
  type EnrolmentWindow,
  yearEnd,
  yearOf,
  yearStart,
} from './continuity-dates';
import {
  consecutiveYearsTo,
  lapseYearsBefore,
  recordsIn,
  residentIn,
  yearSpan,
  type PersonHistory,
} from './continuity-history';
import { type ContinuitySettings, type ExemptGroup } from './continuity-settings';

/** An exempt group of the settings, or 'switch': 职工 → 居民 within the allowed gap (R1.8d). */
export type ExemptionKind = ExemptGroup | 'switch';

export interface WaitingPeriod {
  /** Enrolled in the target year under any scheme. */
  insured: boolean;
  /** L: consecutive lapse years right before the target year that count (§1.4 step 2). */
  lapseYears: number;
  /** Payment after the window (and after an extension without wait): the fixed wait applies even with L = 0. */
  late: boolean;
  fixedMonths: number;
  /** Variable months the lapse adds, before repair. */
  variableMonths: number;
  /** Variable months removed by paying missed years (R1.3). */
  repairedMonths: number;
  /** The long-lapse floor raised the total (R1.4). */
  floorApplied: boolean;
  totalMonths: number;
  exemption?: ExemptionKind;
  waitStart?: string;
  /** First day the fund pays in the target year; absent when not insured or the wait runs past 31 Dec. */
  benefitsFrom?: string;
  explanation: string;
}

interface Exempt {
  kind: ExemptionKind;
  from: string;
  says: string;
}

const EXEMPT_EVENT: Record<Exclude<ExemptGroup, 'newborn'>, string> = {
  assisted: '认定为医疗救助对象',
  veteran: '退出现役',
  veteranSpouse: '随军未就业配偶随迁',
  lowIncome: '认定为非因个人原因断保的农村低收入人口',
};

function newbornExemption(h: PersonHistory, target: number, paid: string | undefined, s: ContinuitySettings) {
  const born =
    h.birthDate && h.birthDate.length === 10 ? h.birthDate : h.exemptions?.find((e) => e.kind === 'newborn')?.on;
  const bornIn = born ? yearOf(born) : NaN;
  if (!born || (target !== bornIn && target !== bornIn + 1) || !s.exemptGroups.includes('newborn')) return undefined;
  const graceEnd = addDays(born, s.newbornGraceDays);
  // The grace days may cross the year end: the family pays both years (R1.8a).
  const yearCovered = target === bornIn || yearOf(graceEnd) > bornIn;
  if (!yearCovered || (paid && paid > graceEnd)) return undefined;
  const from = target === bornIn ? born : yearStart(target);
  const when = paid ? `${paid}参保缴费` : '参保';
  return {
    kind: 'newborn' as const,
    from,
    says: `${born}出生，${when}，在出生后${s.newbornGraceDays}天内：新生儿免待遇等待期，自${from}起享受待遇。`,
  };
}

/** 职工 cover ended and resident insurance paid within the gap, after enough consecutive years (R1.8d). */
function switchExemption(h: PersonHistory, paid: string | undefined, target: number, s: ContinuitySettings) {
  if (!paid) return undefined;
  const ended = h.years
    .filter((r) => r.scheme === 'employee' && r.year <= target)
    .map((r) => ({ year: r.year, end: r.endedOn ?? yearEnd(r.year) }))
    .filter((e) => e.end < paid)
    .sort((a, b) => a.end.localeCompare(b.end))
    .at(-1);
  if (!ended || paid > addMonths(ended.end, s.switchMaxGapMonths)) return undefined;
  const scope = s.lapseSchemeScope === 'resident' ? 'residentEmployee' : s.lapseSchemeScope;
  const years = consecutiveYearsTo(h, ended.year, scope, 0);
  if (years < s.switchMinYears) return undefined;
  return {
    kind: 'switch' as const,
    from: paid,
    says:
      `职工医保${ended.end}停保，${paid}参加居民医保，中断不超过${s.switchMaxGapMonths}个月，此前连续参保${years}年：` +
      `转换险种免待遇等待期，${paid}起享受待遇，中断期间的费用可按规定申请报销。`,
  };
}

/** `waitsOtherwise`: a lapse or a late payment; only then can the 职工 → 居民 switch change anything. */
function exemptionIn(
  h: PersonHistory,
  target: number,
  paid: string | undefined,
  s: ContinuitySettings,
  waitsOtherwise: boolean,
) {
  const newborn = newbornExemption(h, target, paid, s);
  if (newborn) return newborn;
  // Exempt in the year the person became so (当年退出现役; 动态新增 困难人员 enrol mid-year, S15).
  for (const e of h.exemptions ?? []) {
    if (e.kind === 'newborn' || yearOf(e.on) !== target || !s.exemptGroups.includes(e.kind)) continue;
    const from = later(paid ?? yearStart(target), yearStart(target));
    return {
      kind: e.kind,
      from,
      says: `${e.on}${EXEMPT_EVENT[e.kind]}，当年参保免待遇等待期，${from}起享受待遇。`,
    };
  }
  return waitsOtherwise ? switchExemption(h, paid, target, s) : undefined;
}

function lateCause(paid: string, w: EnrolmentWindow, s: ContinuitySettings): string {
  const ext = w.extensionEnd && s.extensionHasNoWait ? `和延长缴费期（至${w.extensionEnd}）` : '';
  const noRelief =
    w.extensionEnd && !s.extensionHasNoWait && paid <= w.extensionEnd ? '（本县设置延长期内缴费仍有等待期）' : '';
  return `${paid}缴费，已过集中参保期（${w.start}至${w.end}）${ext}${noRelief}`;
}

export function waitingPeriod(h: PersonHistory, target: number, s: ContinuitySettings): WaitingPeriod {
  const lapsed = lapseYearsBefore(h, target, s.lapseSchemeScope, s.lapseCountFromYear);
  const L = lapsed.length;
  const lapseSays = L ? `${yearSpan(lapsed)}未参保（断保${L}年）` : '';
  const none = {
    insured: false,
    lapseYears: L,
    late: false,
    fixedMonths: 0,
    variableMonths: 0,
    repairedMonths: 0,
    floorApplied: false,
    totalMonths: 0,
  };
  const records = recordsIn(h, target);
  if (!records.length) return { ...none, explanation: `${target}年未参保${L ? `；此前${lapseSays}` : ''}。` };
  const resident = residentIn(h, target);
  if (!resident) {
    const r = records[0]!;
    const says =
      r.scheme === 'employee'
        ? `${target}年参加职工医保，不适用居民医保待遇等待期。`
        : `${target}年在县外参保${r.place ? `（${r.place}）` : ''}，待遇等待期按参保地规定。`;
    return { ...none, insured: true, lapseYears: 0, explanation: says };
  }

  const paid = resident.paidOn;
  const w = enrolmentWindow(target, s);
  const inExtension = !!paid && paid > w.end && !!w.extensionEnd && paid <= w.extensionEnd;
  const late = !!paid && paid > w.end && !(inExtension && s.extensionHasNoWait);
  const exempt: Exempt | undefined = exemptionIn(h, target, paid, s, L > 0 || late);
  if (exempt)
    return { ...none, insured: true, exemption: exempt.kind, benefitsFrom: exempt.from, explanation: exempt.says };
  const jan1 = yearStart(target);
  const unknownPaid = paid ? '' : '（缴费日期不详，按集中参保期内缴费计）';
  if (L === 0 && !late) {
    const from = later(paid ?? jan1, jan1);
    const when = inExtension
      ? `${paid}在延长缴费期内缴费`
      : `${target}年在集中参保期内缴费${paid ? `（${paid}）` : unknownPaid}`;
    return {
      ...none,
      insured: true,
      benefitsFrom: from,
      explanation: `连续参保，${when}：没有待遇等待期，${from}起享受待遇。`,
    };
  }

  const fixed = s.fixedWaitMonths;
  const variable = L > 0 ? Math.max(0, L - (s.firstLapseYearFree ? 1 : 0)) : 0;
  const repaired = Math.min(variable, Math.max(0, Math.floor(h.repairYearsPaid ?? 0)));
  const beforeFloor = fixed + variable - repaired;
  const floorApplied = L >= s.longLapseYears && beforeFloor < s.longLapseMinMonths;
  const total = floorApplied ? s.longLapseMinMonths : beforeFloor;
  const waitStart = s.waitStart === 'payment' ? (paid ?? jan1) : later(paid ?? jan1, jan1);
  const ends = later(addMonths(waitStart, total), jan1);
  const benefitsFrom = ends <= yearEnd(target) ? ends : undefined;

  const cause = [lapseSays, late ? lateCause(paid!, w, s) : ''].filter(Boolean).join('，且');
  let sum = `固定等待期${fixed}个月`;
  if (L > 0) {
    const free = s.firstLapseYearFree ? '（断保第1年不加）' : '';
    sum += `＋变动等待期${variable}个月${free}`;
    if (repaired) sum += `－补缴${repaired}年减${repaired}个月`;
    sum += `＝${beforeFloor}个月`;
  }
  const floor = floorApplied
    ? `；连续断保${L}年（${s.longLapseYears}年及以上），等待期不少于${s.longLapseMinMonths}个月，按${total}个月计`
    : '';
  const start =
    total === 0
      ? `，${benefitsFrom}起享受待遇`
      : benefitsFrom
        ? `，自${waitStart}起算，${benefitsFrom}起享受待遇（至${yearEnd(target)}）`
        : `，自${waitStart}起算，等待期满已过${target}年底，${target}年内不享受待遇`;
  return {
    insured: true,
    lapseYears: L,
    late,
    fixedMonths: fixed,
    variableMonths: variable,
    repairedMonths: repaired,
    floorApplied,
    totalMonths: total,
    waitStart,
    ...(benefitsFrom ? { benefitsFrom } : {}),
    explanation: `${cause}：${sum}${floor}${start}。${unknownPaid}`,
  };
}
