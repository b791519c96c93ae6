import { describe, expect, it } from 'vitest';
import { checkDigit, icaoCheckDigit, parseIdNumber } from '../../shared/id/id-number';

const asOf = '2026-11-23';
const id = (f17: string) => f17 + checkDigit(f17);
const oldCard = (f14: string) => f14 + icaoCheckDigit(f14);

describe('身份证号规则：旧版外国人永久居留证、居住证前缀、120年', () => {
  it('computes the ICAO 9303 check digit (weights 7 3 1, letters 10–35) as in the passport specimen', () => {
    // ICAO Doc 9303 Part 3 specimen: document number L898902C3 has check digit 6.
    expect(icaoCheckDigit('L898902C3')).toBe('6');
  });

  it('checks the old 15-character foreign permanent residence card for structure and check digit', () => {
    const good = oldCard('USA11008503121');
    expect(parseIdNumber(good, { asOf })).toMatchObject({
      status: 'valid',
      idNumber: good,
      certKind: 'foreignPermanent',
      birthDate: '1985-03-12',
    });
    expect(parseIdNumber('ZZZ000000000000', { asOf })).toMatchObject({
      status: 'malformed',
      idNumber: null,
      problem: '外国人永久居留证（旧版）第4–5位的签发省份代码不存在',
    });
    expect(parseIdNumber('USA110085139910', { asOf })).toMatchObject({
      status: 'malformed',
      problem: '外国人永久居留证（旧版）第8–13位的出生日期不存在或超出范围',
    });
    const wrongCheck = good.slice(0, 14) + String((+good[14]! + 1) % 10);
    expect(parseIdNumber(wrongCheck, { asOf })).toMatchObject({
      status: 'badChecksum',
      idNumber: null,
      problem: `外国人永久居留证（旧版）校验位应为${good[14]}，疑似录入错误`,
    });
  });

  it('accepts residence permits only with the prefixes 810000, 820000 and 830000', () => {
    for (const p of ['810000', '820000', '830000'])
      expect(parseIdNumber(id(p + '19900102001'), { asOf }), p).toMatchObject({ status: 'valid' });
    for (const p of ['810101', '831234', '820100'])
      expect(parseIdNumber(id(p + '19900102001'), { asOf }), p).toMatchObject({
        status: 'malformed',
        problem: '港澳台居民居住证的前六位应为810000、820000或830000',
      });
  });

  it('says which birth-date rule failed: not a date, in the future, or more than 120 years ago', () => {
    expect(parseIdNumber(id('61092319000101001'), { asOf }).problem).toBe('号码中的出生日期早于120年前');
    expect(parseIdNumber(id('61092320300101001'), { asOf }).problem).toBe('号码中的出生日期在未来');
    expect(parseIdNumber(id('61092319900230001'), { asOf }).problem).toBe('号码中的出生日期不存在');
    expect(parseIdNumber('610923900230001', { asOf }).problem).toBe('15位号码中的出生日期不存在');
  });
});
