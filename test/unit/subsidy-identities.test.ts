import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONTRIBUTION,
  DEFAULT_TIERS,
  diffMonth,
  highestIdentity,
  parseIdentities,
  personalPayment,
} from '../../shared/domain/subsidy';

describe('资助参保身份：各部门名单的写法归为固定的几类（R4.5）', () => {
  it('reads identities as the departments write them', () => {
    expect(parseIdentities('重度残疾（1-2级）')).toEqual(['disabled']);
    expect(parseIdentities('低保、特困')).toEqual(['tekun', 'dibao']);
    expect(parseIdentities('特困供养人员')).toEqual(['tekun']);
    expect(parseIdentities('事实无人抚养儿童')).toEqual(['orphan']);
    expect(parseIdentities('防止返贫监测对象')).toEqual(['monitor']);
    expect(parseIdentities('脱贫户（建档立卡）')).toEqual(['tuopin']);
    expect(parseIdentities('一级肢体残疾')).toEqual(['disabled']);
    expect(parseIdentities('烈属')).toEqual(['youfu']);
  });

  it('names nothing for what is no identity: such a row is refused, never read as a cancellation', () => {
    expect(parseIdentities('')).toEqual([]);
    expect(parseIdentities('三级残疾')).toEqual([]);
    expect(parseIdentities('低保边缘')).toEqual([]);
    expect(parseIdentities('待定')).toEqual([]);
  });

  it('subsidises a person on several lists once, at the highest identity (R4.4 就高不重复)', () => {
    expect(highestIdentity(['dibao', 'disabled', 'tekun'])).toBe('tekun');
    expect(highestIdentity(['disabled', 'monitor'])).toBe('monitor');
    expect(highestIdentity([])).toBeNull();
  });
});

describe('资助名单的月度对比：新增、变更、取消（R4.5）', () => {
  const A = '610923199001010011';
  const B = '610923199002020022';
  const C = '610923199003030033';
  it('adds the new, changes the one whose highest identity moved, cancels the absent', () => {
    const oct = [
      { idNumber: A, identities: ['dibao' as const] },
      { idNumber: B, identities: ['disabled' as const] },
    ];
    const nov = [
      { idNumber: A, identities: ['dibao' as const, 'tekun' as const] },
      { idNumber: C, identities: ['monitor' as const] },
    ];
    expect(diffMonth(oct, nov)).toEqual([
      { idNumber: A, kind: 'changed', before: 'dibao', after: 'tekun' },
      { idNumber: C, kind: 'added', before: null, after: 'monitor' },
      { idNumber: B, kind: 'cancelled', before: 'disabled', after: null },
    ]);
  });

  it('calls a cancelled person who comes back a change, and an unchanged list no change at all', () => {
    const list = [{ idNumber: B, identities: ['disabled' as const] }];
    expect(diffMonth([], list, new Set([B]))).toEqual([
      { idNumber: B, kind: 'changed', before: null, after: 'disabled' },
    ]);
    expect(diffMonth(list, list)).toEqual([]);
  });
});

describe('年度资助标准：个人应缴多少（R4.1、R4.2）', () => {
  it('asks nothing of 特困, 40% of the contribution of 低保 by default, the rest as set', () => {
    expect(personalPayment(DEFAULT_CONTRIBUTION, DEFAULT_TIERS.tekun)).toBe(0);
    expect(personalPayment(400, DEFAULT_TIERS.dibao)).toBe(160);
    expect(personalPayment(400, { kind: 'amount', value: 300 })).toBe(100);
    expect(personalPayment(400, { kind: 'amount', value: 500 })).toBe(0);
    expect(personalPayment(400, DEFAULT_TIERS.disabled)).toBe(400);
  });
});
