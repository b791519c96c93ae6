import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { Service } from '../../electron/core/service/service';
import { checkDigit } from '../../shared/id/id-number';
import { tempDir } from '../helpers/files';

// The cases a generated county rarely shows, each written out: a roll whose own number is mistyped, a name written
// with a homophone, a namesake born the same day in another township. Through the service, as the app and CLI call it.
const dir = tempDir();
const id = (first17: string) => first17 + checkDigit(first17);
const ZHANG = id('61092319650304123'); // 张建国, the roll typed his 16th digit wrong and kept the check digit
const zhangTyped = ZHANG.slice(0, 15) + String((+ZHANG[15]! + 1) % 10) + ZHANG.slice(16);
const LI = id('61092319800710456'); // 李晓明 in the roll; the list writes 李小明 and swaps two digits
const liListed = id('61092319800710546');
const WANG = id('61092319720101789'); // 王秀兰 of 江口镇; the list's 王秀兰 lives in 城关镇, born the same day
const wangListed = id('61092319720101798');

function service(): { s: Service; done: () => Promise<void> } {
  const flag = { isSet: () => false, set: () => undefined, clear: () => undefined };
  let resolve: () => void = () => undefined;
  let next = new Promise<void>((r) => (resolve = r));
  const s = new Service({
    actor: '王芳',
    emit: (e) => {
      if (e.type === 'done') resolve();
    },
    cancel: flag as never,
  });
  return {
    s,
    done: async () => {
      await next;
      next = new Promise<void>((r) => (resolve = r));
    },
  };
}

describe('资助名单对不上号的几种情形：名册号码录错、同音字、外乡镇同名同生日', () => {
  it('proposes the roll person whose own number is mistyped and the homophone, not the namesake elsewhere', async () => {
    const roll = join(dir, '户籍人口.csv');
    writeFileSync(
      roll,
      '\ufeff姓名,身份证号码,乡镇,村\n' +
        `张建国,${zhangTyped},城关镇,南街社区\n李晓明,${LI},城关镇,金星村\n王秀兰,${WANG},江口镇,红星村\n`,
    );
    const list = join(dir, '民政_资助参保名单_2026-10.xlsx');
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['序号', '姓名', '身份证号码', '镇（街）', '村（居）', '医疗救助身份'],
        [1, '张建国', ZHANG, '城关镇', '南街社区', '低保'],
        [2, '李小明', liListed, '城关镇', '金星村', '特困'],
        [3, '王秀兰', wangListed, '城关镇', '东关社区', '低保'],
      ]),
      '全量名单',
    );
    writeFileSync(list, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const { s, done } = service();
    await s.handle('workspace.open', { path: join(dir, 'w.canbao'), create: true });
    await s.handle('import.run', { path: roll, kind: 'population', year: 2026 });
    await done();
    await s.handle('match.run', {});
    await done();
    await s.handle('subsidy.import', { path: list, department: '民政', month: '2026-10' });
    await done();

    const links = await s.handle('subsidy.links', { mask: '6-4' });
    expect(links.members.map((m) => m.name).sort()).toEqual(['张建国', '李小明']);
    const zhang = links.members.find((m) => m.name === '张建国')!;
    expect(zhang.idMasked).toBe(`${ZHANG.slice(0, 6)}********${ZHANG.slice(-4)}`);
    expect(zhang.candidates).toHaveLength(1);
    expect(zhang.candidates[0]!.plain.find((f) => f.field === 'id')!.words).toBe(
      '身份证号只差一位或相邻两位颠倒，像是录入错误',
    );
    const li = links.members.find((m) => m.name === '李小明')!;
    expect(li.candidates.map((c) => c.name)).toEqual(['李晓明']);
    expect(li.candidates[0]!.plain.find((f) => f.field === 'name')!.words).toBe('姓名同音不同字（李小明 / 李晓明）');
    expect((await s.handle('subsidy.summary', {})).toConfirm).toBe(2);

    // Linked, 李晓明 counts as the listed 特困: insured or not as he is, shown as 特困 in 一人一档.
    const r = await s.handle('subsidy.decideLink', { candidateId: li.candidates[0]!.candidateId, verdict: 'same' });
    expect(r).toEqual({ toConfirm: 1, verdict: 'same', personId: li.candidates[0]!.personId });
    const person = await s.handle('person.get', { personId: r.personId });
    expect(JSON.stringify(person)).toContain('特困');
    // Bad requests are refused in Chinese: a proposal that is gone, a number not on any list.
    await expect(
      s.handle('subsidy.decideLink', { candidateId: li.candidates[0]!.candidateId, verdict: 'same' }),
    ).rejects.toThrow(/待确认的第 \d+ 条不存在/);
    await expect(s.handle('subsidy.decideLink', { memberIdNumber: LI, personId: 1, verdict: 'same' })).rejects.toThrow(
      '资助名单上没有这个身份证号',
    );
    s.close();
  });
});
