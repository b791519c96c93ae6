import { GENDER_LABEL, type Gender } from '../../../shared/domain/types';
import type { PlainField, PlainAgreement } from '../../../shared/ipc/contract';
import { COMPARISONS, type FieldName } from './comparison-levels';

/**
 * The review screen's plain words: for each field, whether the two records agree (✓), partly agree, disagree (✗)
 * or cannot be compared (missing), in a sentence naming the side concerned. Derived here, in one place, from the
 * very comparison levels that scored the pair, so the words can never say something the weights do not.
 */

/** What the words need of each side: the fields as stored (ID status by code, dates as YYYY-MM-DD). */
export interface PlainSide {
  name: string;
  idStatus: string;
  birthDate: string | null;
  gender: string | null;
  township: string | null;
  village: string | null;
}

/** A stored contribution: the field and its level's name. */
export interface PlainInput {
  field: string;
  level: string;
}

export const AGREEMENT_MARK: Record<PlainAgreement, string> = { agree: '✓', partly: '≈', differ: '✗', missing: '—' };
export const AGREEMENT_LABEL: Record<PlainAgreement, string> = {
  agree: '一致',
  partly: '部分一致',
  differ: '不一致',
  missing: '无法比较',
};

type Said = [PlainAgreement, string];

/** Which side lacks something usable, in the words of the review cards (记录A / 记录B). */
function whichSide(aLacks: boolean, bLacks: boolean): string {
  if (aLacks && bLacks) return '两条记录都';
  if (aLacks) return '记录A';
  return bLacks ? '记录B' : '一方';
}

function idWhy(status: string): string {
  if (status === 'excelDamaged') return '被Excel损坏、连地区码也看不出';
  if (status === 'malformed') return '位数或格式不对';
  return '缺失';
}

function saysId(level: string, a: PlainSide, b: PlainSide): Said {
  switch (level) {
    case 'exact':
      return ['agree', '身份证号一致'];
    case 'oneEdit':
      return ['partly', '身份证号只差一位或相邻两位颠倒，像是录入错误'];
    case 'prefix15': {
      const cut =
        a.idStatus === 'excelDamaged' && b.idStatus !== 'excelDamaged'
          ? '记录A的号码'
          : b.idStatus === 'excelDamaged' && a.idStatus !== 'excelDamaged'
            ? '记录B的号码'
            : '另一方';
      return ['partly', `身份证号前15位一致，${cut}被Excel截断`];
    }
    case 'cut000':
      return ['partly', '身份证号前15位一致，其中一个末三位为000，像是被Excel截断后校验位碰巧正确'];
    case 'region': {
      const cut = a.idStatus === 'excelDamaged' ? '记录A' : '记录B';
      return ['partly', `${cut}的身份证号被Excel损坏，只剩前几位（地区码），这几位与另一方一致`];
    }
    case 'regionDiffers': {
      const cut = a.idStatus === 'excelDamaged' ? '记录A' : '记录B';
      return ['differ', `${cut}的身份证号被Excel损坏，只剩前几位，这几位与另一方不同`];
    }
    case 'birthSegment':
      return ['partly', '身份证号的地区码和出生日期一致，后几位不同：可能是双胞胎或同日出生的同乡'];
    case 'different':
      return ['differ', '身份证号不同'];
    case 'bothUntrusted':
      return ['differ', '两个身份证号都有误（校验位不对，或被Excel截断、损坏），而且互不一致，说明不了是不是同一人'];
    default: {
      const usable = (s: PlainSide) =>
        s.idStatus !== 'missing' && s.idStatus !== 'excelDamaged' && s.idStatus !== 'malformed';
      const aBad = !usable(a),
        bBad = !usable(b);
      const why = aBad ? idWhy(a.idStatus) : idWhy(b.idStatus);
      return ['missing', `${whichSide(aBad, bBad)}的身份证号${why}，无法比较`];
    }
  }
}

function saysName(level: string, a: PlainSide, b: PlainSide): Said {
  const both = `（${a.name || '无'} / ${b.name || '无'}）`;
  switch (level) {
    case 'exact':
      // How much a shared name says (张伟 less than 欧阳梓萱) is in the weights of 详细计算, not in the words.
      return ['agree', '姓名一致'];
    case 'pinyin':
      return ['partly', `姓名同音不同字${both}`];
    case 'sound':
      return ['partly', `姓名读音相近，像是方言口音听写成了别的字${both}`];
    case 'close':
      return ['partly', `姓名相差一个字${both}`];
    case 'different':
      return ['differ', `姓名不同${both}`];
    default:
      return ['missing', `${whichSide(!a.name, !b.name)}没有姓名，无法比较`];
  }
}

/** Fields already inside the ID comparison ('implied') are said by comparing the values shown. */
function impliedSaid(label: string, x: string | null, y: string | null): Said {
  if (!x || !y) return ['missing', `${whichSide(!x, !y)}没有${label}，无法比较`];
  if (x === y) return ['agree', `${label}一致（已含在身份证号中，不重复计分）`];
  if (x.startsWith(y) || y.startsWith(x)) return ['partly', `${label}的年月一致（已含在身份证号中，不重复计分）`];
  return ['differ', `${label}不同（已含在身份证号的比较中）`];
}

function saysBirth(level: string, a: PlainSide, b: PlainSide): Said {
  switch (level) {
    case 'exact':
      return ['agree', '出生日期一致'];
    case 'month':
      return ['partly', '出生年月一致，其中一方只有年月'];
    case 'close':
      return ['partly', `出生日期差一位数字或日、月颠倒，像是录入错误（${a.birthDate} / ${b.birthDate}）`];
    case 'different':
      return ['differ', `出生日期不同（${a.birthDate ?? '无'} / ${b.birthDate ?? '无'}）`];
    case 'implied':
      return impliedSaid('出生日期', a.birthDate, b.birthDate);
    default:
      return ['missing', `${whichSide(!a.birthDate, !b.birthDate)}没有出生日期，无法比较`];
  }
}

function saysGender(level: string, a: PlainSide, b: PlainSide): Said {
  const ga = a.gender ? (GENDER_LABEL[a.gender as Gender] ?? a.gender) : null;
  const gb = b.gender ? (GENDER_LABEL[b.gender as Gender] ?? b.gender) : null;
  switch (level) {
    case 'same':
      return ['agree', '性别一致'];
    case 'different':
      return ['differ', `性别不同（${ga ?? '无'} / ${gb ?? '无'}）`];
    case 'implied':
      return impliedSaid('性别', ga, gb);
    default:
      return ['missing', `${whichSide(!ga, !gb)}没有性别，无法比较`];
  }
}

function saysPlace(level: string, a: PlainSide, b: PlainSide): Said {
  switch (level) {
    case 'sameVillage':
      return ['agree', `同一个村（社区）${a.village ? `：${a.township ?? ''}${a.village}` : ''}`];
    case 'sameTownship':
      return ['partly', `同一乡镇${a.township ? `（${a.township}）` : ''}，不同村（社区）`];
    case 'different':
      return ['differ', `不在同一乡镇（${a.township ?? '无'} / ${b.township ?? '无'}）`];
    default:
      return ['missing', `${whichSide(!a.township, !b.township)}没有乡镇，无法比较`];
  }
}

/** The plain words of one pair, one line per compared field, in the order the pair was scored. */
export function plainWords(contributions: readonly PlainInput[], a: PlainSide, b: PlainSide): PlainField[] {
  return contributions
    .filter((c): c is PlainInput & { field: FieldName } => c.field in COMPARISONS)
    .map((c) => {
      const [agreement, words] =
        c.field === 'id'
          ? saysId(c.level, a, b)
          : c.field === 'name'
            ? saysName(c.level, a, b)
            : c.field === 'birth'
              ? saysBirth(c.level, a, b)
              : c.field === 'gender'
                ? saysGender(c.level, a, b)
                : saysPlace(c.level, a, b);
      return {
        field: c.field,
        fieldLabel: COMPARISONS[c.field].label,
        agreement,
        mark: AGREEMENT_MARK[agreement],
        words,
      };
    });
}

/** One line over the fields: how many agree, partly agree, disagree, cannot be compared. */
export function plainTally(fields: readonly PlainField[]): string {
  const order: PlainAgreement[] = ['agree', 'partly', 'differ', 'missing'];
  return order
    .map((k) => [k, fields.filter((f) => f.agreement === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} 项${AGREEMENT_LABEL[k]}`)
    .join('，');
}
