import { describe, expect, it } from 'vitest';
import { columnIndex, columnLetter, headerScore, mapHeaderRow, recognizeHeader } from '../../shared/headers/fields';
import { parseInsuredStatus, specialGroupsOf } from '../../shared/headers/coded-values';
import { townshipKey, villageKey } from '../../shared/place/place-key';
import { countyFromText } from '../../electron/core/import/sheet-layout';
import { maskId } from '../../shared/export/mask';
import { csvField, neutralizeFormula } from '../../shared/export/safe-cell';

describe('表头识别', () => {
  it.each([
    ['姓名', 'name'],
    ['参保人姓名', 'name'],
    ['人员姓名', 'name'],
    ['xm', 'name'],
    ['AAC003', 'name'],
    ['公民身份号码', 'idNumber'],
    ['身份证号码', 'idNumber'],
    ['证件号码', 'idNumber'],
    ['sfzh', 'idNumber'],
    ['AAC002', 'idNumber'],
    ['身份证号码（必填）', 'idNumber'],
    ['身 份 证 号', 'idNumber'],
    ['AAC002身份证号', 'idNumber'],
    ['性别', 'gender'],
    ['xb', 'gender'],
    ['AAC004', 'gender'],
    ['出生日期', 'birthDate'],
    ['出生年月', 'birthDate'],
    ['AAC006', 'birthDate'],
    ['民族', 'ethnicity'],
    ['AAC005', 'ethnicity'],
    ['乡镇（街道）', 'township'],
    ['乡镇(街道)', 'township'],
    ['村（社区）', 'village'],
    ['所属社区', 'village'],
    ['村委会', 'village'],
    ['组', 'group'],
    ['户号', 'householdNo'],
    ['户主姓名', 'householdHead'],
    ['与户主关系', 'relation'],
    ['人员类别', 'category'],
    ['参保身份', 'category'],
    ['资助类别', 'category'],
    ['联系电话', 'phone'],
    ['单位名称', 'unitName'],
    ['AAB004', 'unitName'],
    ['参保状态', 'insuredStatus'],
    ['cbzt', 'insuredStatus'],
    ['AAC008', 'insuredStatus'],
    ['缴费状态', 'payStatus'],
    ['缴费金额', 'payAmount'],
    ['jfzje', 'payAmount'],
    ['cbnd', 'year'],
    ['AAC001', 'personNo'],
    ['个人编号', 'personNo'],
  ])('%s → %s', (header, field) => expect(recognizeHeader(header)).toBe(field));

  it('does not take a 户主 name column or a title for the person name', () => {
    expect(recognizeHeader('户主姓名')).toBe('householdHead');
    expect(recognizeHeader('城关镇2026年城乡居民医保参保人员花名册')).toBeNull();
  });

  it('maps a whole header row and scores title rows at zero', () => {
    const row = ['序号', '乡镇', '村（社区）', '姓名', '性别', '公民身份号码', '备注'];
    expect(mapHeaderRow(row)).toEqual({ seq: 0, township: 1, village: 2, name: 3, gender: 4, idNumber: 5, remark: 6 });
    expect(headerScore(row)).toBe(7);
    expect(headerScore(['城关镇2026年度城乡居民基本医疗保险参保花名册'])).toBe(0);
    expect(headerScore(['填报单位：城关镇人民政府', '', '填报日期：2026年3月1日'])).toBe(0);
  });

  it('converts column letters both ways', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
    expect(['A', 'Z', 'AA', 'AAA'].map(columnIndex)).toEqual([0, 25, 26, 702]);
  });
});

describe('编码值', () => {
  it('decodes 参保状态 codes and words', () => {
    expect(['1', '正常参保', '2', '暂停参保', '4', '终止参保', '', 'x'].map(parseInsuredStatus)).toEqual([
      'active',
      'active',
      'suspended',
      'suspended',
      'terminated',
      'terminated',
      null,
      null,
    ]);
  });
  it('finds special groups in 人员类别 text', () => {
    expect(specialGroupsOf('特困供养人员')).toEqual(['tekun']);
    expect(specialGroupsOf('低保、重度残疾')).toEqual(['dibao', 'disabled']);
    expect(specialGroupsOf('脱贫人口')).toEqual(['tuopin']);
    expect(specialGroupsOf('普通居民')).toEqual([]);
  });
});

describe('村、乡镇名称', () => {
  it('gives every spelling of one village one key', () => {
    expect(
      new Set(
        ['南街社区', '南街社区居委会', '南街社区居民委员会', '南街居委会', ' 南街社区 '].map((v) => villageKey(v)),
      ),
    ).toEqual(new Set(['南街社区']));
    expect(new Set(['金星村', '金星村委会', '金星村民委员会', '金星村村民委员会'].map((v) => villageKey(v)))).toEqual(
      new Set(['金星村']),
    );
  });
  it('drops a township prefix, given or recognised', () => {
    expect(villageKey('城关镇南街社区')).toBe('南街社区');
    expect(villageKey('城关镇南街社区居民委员会', '城关镇')).toBe('南街社区');
    expect(villageKey('马镇新村')).toBe('马镇新村');
    expect(villageKey('新乡村')).toBe('新乡村');
  });
  it('normalises township names', () => {
    expect(townshipKey('城关镇人民政府')).toBe('城关镇');
    expect(townshipKey('南街街道办事处')).toBe('南街街道');
    expect(townshipKey('宁陕县城关镇')).toBe('城关镇');
  });
});

describe('标题中的县名', () => {
  it('finds the county at the start of a title, and nothing in titles without one', () => {
    expect(countyFromText('宁陕县城关镇户籍人口底册（2026年）')).toBe('宁陕县');
    expect(countyFromText('2026年宁陕县职工基本医疗保险参保人员明细')).toBe('宁陕县');
    expect(countyFromText('城关镇2026年度城乡居民基本医疗保险参保花名册')).toBeNull();
    expect(countyFromText('长阳土家族自治县龙舟坪镇花名册')).toBe('长阳土家族自治县');
    expect(countyFromText('填报单位：城关镇人民政府')).toBeNull();
  });
});

describe('脱敏与公式防护', () => {
  it('masks IDs by profile', () => {
    expect(maskId('11010519491231002X', 'full')).toBe('11010519491231002X');
    expect(maskId('11010519491231002X', '6-4')).toBe('110105********002X');
    expect(maskId('11010519491231002X', '3-4')).toBe('110***********002X');
    expect(maskId('', '6-4')).toBe('');
  });
  it('neutralises anything a spreadsheet would run as a formula, full-width forms included', () => {
    for (const bad of ['=1+1', '+86', '-2', '@SUM(A1)', '＝1', '＋1', '－1', '＠a', '\tx', '\rx'])
      expect(neutralizeFormula(bad).startsWith("'")).toBe(true);
    expect(neutralizeFormula('张伟')).toBe('张伟');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
  });
});
