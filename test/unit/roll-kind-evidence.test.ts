import { describe, expect, it } from 'vitest';
import {
  contradicts,
  describeEvidence,
  kindMismatchMessage,
  suggestRollKind,
} from '../../shared/headers/roll-kind-evidence';

const AAC_HEADER = ['AAC001', 'AAC003', 'AAC002', 'AAC004', 'AAC006', 'AAB004', 'AAC008', 'AAE001'];
const BASE_HEADER = [
  '序号',
  '乡镇（街道）',
  '村（社区）',
  '组',
  '户号',
  '户主姓名',
  '姓名',
  '与户主关系',
  '性别',
  '民族',
];
const RURAL_HEADER = ['序号', '村（社区）', '组', '户主姓名', '姓名', '与户主关系', '身份证号码', '性别', '资助类别'];

describe('名册类型建议：从标题行、工作表名、文件名和表头看出是哪种名册', () => {
  it('a 职工医保 export with a neutral file name: the title row and the AAC codes say employee', () => {
    const s = suggestRollKind({
      fileName: '导出数据(3).csv',
      titleLines: ['宁陕县职工基本医疗保险参保人员明细（2026年度）'],
      header: AAC_HEADER,
    });
    expect(s).toMatchObject({ kind: 'employee', family: 'employee' });
    expect(s!.evidence.map(describeEvidence)).toEqual([
      '标题行写着“职工基本医疗保险”',
      '表头是医保信息平台职工参保导出的数据元代码（AAC001、AAC003、AAC002）',
    ]);
    expect(contradicts(s, 'population')).toBe(true);
    expect(contradicts(s, 'employee')).toBe(false);
  });

  it('AAC codes alone (no title) are enough to ask before importing them as the base', () => {
    const s = suggestRollKind({ fileName: 'data.csv', header: AAC_HEADER });
    expect(s?.kind).toBe('employee');
    expect(contradicts(s, 'population')).toBe(true);
  });

  it('城镇职工 is employee, not an urban resident roll', () => {
    const s = suggestRollKind({
      titleLines: ['2026年城镇职工基本医疗保险参保花名册'],
      header: ['姓名', '身份证号码', '单位名称'],
    });
    expect(s).toMatchObject({ kind: 'employee' });
    expect(s!.evidence.map(describeEvidence)).toContain('表头有“单位名称”列');
  });

  it('a 户籍人口底册 with a township per sheet and 户号 in the header says population', () => {
    const s = suggestRollKind({
      fileName: '2026.xlsx',
      sheetNames: ['城关镇', '江口镇'],
      titleLines: ['宁陕县城关镇户籍人口底册（2026年）', '填报单位：城关镇人民政府 填报日期：2026年10月31日'],
      header: BASE_HEADER,
    });
    expect(s).toMatchObject({ kind: 'population', family: 'population' });
    expect(contradicts(s, 'employee')).toBe(true);
    expect(contradicts(s, 'resident_rural')).toBe(true);
  });

  it('城乡居民 rolls: rural by default, urban when it says 城镇居民; either resident kind is no contradiction', () => {
    const rural = suggestRollKind({
      titleLines: ['城关镇2026年度城乡居民基本医疗保险参保花名册', '填报单位（盖章）：城关镇人民政府 单位：人、元'],
      header: RURAL_HEADER,
    });
    expect(rural?.kind).toBe('resident_rural');
    expect(contradicts(rural, 'resident_urban')).toBe(false);
    expect(contradicts(rural, 'population')).toBe(true);
    const urban = suggestRollKind({ titleLines: ['2026年城镇居民医保参保人员名单（城关镇）'], sheetNames: ['城关镇'] });
    expect(urban?.kind).toBe('resident_urban');
    expect(suggestRollKind({ sheetNames: ['新农合2026'] })?.kind).toBe('resident_rural');
  });

  it('full-width spaces and letters in a title are read as a clerk reads them', () => {
    const s = suggestRollKind({
      titleLines: ['宁陕县　职工 基本医疗保险　参保名单'],
      header: ['ＡＡＣ００１', 'ＡＡＣ００３', 'ＡＡＣ００２'],
    });
    expect(s?.kind).toBe('employee');
    expect(s!.evidence[0]!.text).toBe('职工基本医疗保险');
  });

  it('says nothing (so asks nothing) when nothing points anywhere, or two kinds point equally', () => {
    const plain = suggestRollKind({
      fileName: 'Sheet1.xlsx',
      sheetNames: ['Sheet1'],
      header: ['序号', '姓名', '身份证号'],
    });
    expect(plain).toBeNull();
    expect(contradicts(plain, 'population')).toBe(false);
    const tie = suggestRollKind({ titleLines: ['职工医保与城乡居民医保参保人员'] });
    expect(tie).toBeNull();
  });

  it('a file name alone is a hint for the preselection, never a reason to stop an import', () => {
    const s = suggestRollKind({ fileName: '职工医保.xlsx', header: ['姓名', '身份证号码'] });
    expect(s?.kind).toBe('employee');
    expect(contradicts(s, 'population')).toBe(false);
  });

  it('the refusal names the file, what it looks like, why, and how to go ahead', () => {
    const s = suggestRollKind({ titleLines: ['宁陕县职工基本医疗保险参保人员明细（2026年度）'], header: AAC_HEADER })!;
    const msg = kindMismatchMessage('导出数据.csv', 'population', s);
    expect(msg).toContain('文件“导出数据.csv”看起来是职工医保名册');
    expect(msg).toContain('标题行写着“职工基本医疗保险”');
    expect(msg).toContain('按户籍人口底册导入');
    expect(msg).not.toMatch(/employee|population|resident/);
  });
});
